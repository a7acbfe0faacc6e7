package io.jetstreambridge.reliability.app;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The publishing application's business row: one per committed business transaction. */
@Entity
@Table(name = "bench_orders")
public class BenchOrder {

    @Id
    @Column(name = "id", length = 64)
    private String id;

    protected BenchOrder() {
    }

    public BenchOrder(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
