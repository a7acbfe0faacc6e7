package io.jetstreambridge.bench;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDateTime;

/** The business row the B3 writers commit, with or without an event. */
@Entity
@Table(name = "bench_orders")
public class BenchOrder {

    static final String DDL = "CREATE TABLE bench_orders (id VARCHAR(64) NOT NULL PRIMARY KEY, "
            + "total INTEGER NOT NULL, created_at TIMESTAMP NOT NULL)";

    @Id
    @Column(name = "id")
    private String id;

    @Column(name = "total")
    private int total;

    @Column(name = "created_at")
    private LocalDateTime createdAt;

    protected BenchOrder() {
    }

    BenchOrder(String id, int total) {
        this.id = id;
        this.total = total;
        this.createdAt = LocalDateTime.now();
    }
}
