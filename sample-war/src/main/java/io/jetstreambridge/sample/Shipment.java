package io.jetstreambridge.sample;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDateTime;

/** A shipment of the {@code shipping} application (table {@code sample_shipments}, one per order). */
@Entity
@Table(name = "sample_shipments")
public class Shipment {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "order_id", nullable = false, unique = true)
    private long orderId;

    @Column(nullable = false)
    private String customer;

    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    protected Shipment() {
    }

    public Shipment(long orderId, String customer) {
        this.orderId = orderId;
        this.customer = customer;
        this.createdAt = LocalDateTime.now();
    }

    public Long getId() {
        return id;
    }

    public long getOrderId() {
        return orderId;
    }

    public String getCustomer() {
        return customer;
    }

    public JsonObject toJson() {
        return Json.createObjectBuilder()
                .add("id", id)
                .add("order_id", orderId)
                .add("customer", customer)
                .add("created_at", createdAt.toString())
                .build();
    }
}
