package io.jetstreambridge.outbox.cdi;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The business row written in the same transaction as the event. */
@Entity
@Table(name = "test_orders")
public class TestOrder {

    static final String DDL = "CREATE TABLE test_orders (id VARCHAR(64) NOT NULL PRIMARY KEY)";

    @Id
    @Column(name = "id")
    private String id;

    protected TestOrder() {
    }

    TestOrder(String id) {
        this.id = id;
    }
}
