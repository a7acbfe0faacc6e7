package io.jetstreambridge.testing.jta;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The harness's own test entity (table {@code harness_item}, DDL {@code harness-item.sql}); unique {@code code}. */
@Entity
@Table(name = "harness_item")
public class HarnessItem {

    /** The class-path DDL of {@code harness_item}. */
    public static final String DDL = "io/jetstreambridge/testing/jta/harness-item.sql";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "code", nullable = false, length = 64)
    private String code;

    @Column(name = "label", length = 200)
    private String label;

    protected HarnessItem() {
    }

    public HarnessItem(String code, String label) {
        this.code = code;
        this.label = label;
    }

    public Long getId() {
        return id;
    }

    public String getCode() {
        return code;
    }

    public String getLabel() {
        return label;
    }

    public void setLabel(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return "HarnessItem[" + id + ", " + code + "]";
    }
}
