package io.jetstreambridge.sample;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.LocalDateTime;

/**
 * An order of the {@code orders} application (table {@code sample_orders}): {@code status} follows invoicing
 * ({@code NEW}, then {@code INVOICED}); {@code shipment_id} is set once it has shipped. Billing and shipping answer
 * independently, so either may come first.
 */
@Entity
@Table(name = "sample_orders")
public class PurchaseOrder {

    public static final String NEW = "NEW";
    public static final String INVOICED = "INVOICED";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String customer;

    @Column(nullable = false, precision = 12, scale = 2)
    private BigDecimal amount;

    @Column(nullable = false)
    private String status;

    @Column(name = "invoice_id")
    private Long invoiceId;

    /** Set when shipping's {@code shipment.created} arrives, independently of {@code status} (invoicing). */
    @Column(name = "shipment_id")
    private Long shipmentId;

    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    private LocalDateTime updatedAt;

    protected PurchaseOrder() {
    }

    public PurchaseOrder(String customer, BigDecimal amount) {
        this.customer = customer;
        this.amount = amount;
        this.status = NEW;
        this.createdAt = LocalDateTime.now();
        this.updatedAt = createdAt;
    }

    public void invoiced(long invoice) {
        this.invoiceId = invoice;
        this.status = INVOICED;
        this.updatedAt = LocalDateTime.now();
    }

    public void shipped(long shipment) {
        this.shipmentId = shipment;
        this.updatedAt = LocalDateTime.now();
    }

    public Long getId() {
        return id;
    }

    public String getCustomer() {
        return customer;
    }

    public BigDecimal getAmount() {
        return amount;
    }

    public String getStatus() {
        return status;
    }

    public Long getInvoiceId() {
        return invoiceId;
    }

    public Long getShipmentId() {
        return shipmentId;
    }

    public boolean isShipped() {
        return shipmentId != null;
    }

    public JsonObject toJson() {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("id", id)
                .add("customer", customer)
                .add("amount", amount)
                .add("status", status)
                .add("created_at", createdAt.toString())
                .add("updated_at", updatedAt.toString());
        if (invoiceId != null) {
            json.add("invoice_id", invoiceId);
        } else {
            json.addNull("invoice_id");
        }
        if (shipmentId != null) {
            json.add("shipment_id", shipmentId);
        } else {
            json.addNull("shipment_id");
        }
        json.add("shipped", isShipped());
        return json.build();
    }
}
