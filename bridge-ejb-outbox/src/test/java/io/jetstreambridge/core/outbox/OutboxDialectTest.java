package io.jetstreambridge.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutboxDialectTest {

    @Test
    void dialectsAreNamedAsConfigured() {
        assertThat(OutboxDialect.named("postgresql")).isEqualTo(OutboxDialect.POSTGRESQL);
        assertThat(OutboxDialect.named("Postgres")).isEqualTo(OutboxDialect.POSTGRESQL);
        assertThat(OutboxDialect.named("mysql")).isEqualTo(OutboxDialect.MYSQL);
        assertThat(OutboxDialect.named(" MariaDB ")).isEqualTo(OutboxDialect.MYSQL);
        assertThat(OutboxDialect.named("h2")).isEqualTo(OutboxDialect.H2);
        assertThat(OutboxDialect.named("DERBY")).isEqualTo(OutboxDialect.DERBY);
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> OutboxDialect.named("oracle")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown outbox dialect 'oracle'; known: postgresql, postgres, mysql, mariadb, h2, derby");
        assertThatThrownBy(() -> OutboxDialect.named(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void productNamesOfTheDriversMapToDialects() {
        assertThat(OutboxDialect.forProductName("PostgreSQL")).isEqualTo(OutboxDialect.POSTGRESQL);
        assertThat(OutboxDialect.forProductName("MySQL")).isEqualTo(OutboxDialect.MYSQL);
        assertThat(OutboxDialect.forProductName("MariaDB")).isEqualTo(OutboxDialect.MYSQL);
        assertThat(OutboxDialect.forProductName("H2")).isEqualTo(OutboxDialect.H2);
        assertThat(OutboxDialect.forProductName("Apache Derby")).isEqualTo(OutboxDialect.DERBY);
        assertThatThrownBy(() -> OutboxDialect.forProductName("Oracle"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Oracle'");
    }

    @Test
    void eachDialectFinishesTheClaimQueryItsOwnWay() {
        String select = "SELECT o.id FROM t o ORDER BY o.id";

        assertThat(OutboxDialect.POSTGRESQL.claimQuery(select, 5))
                .isEqualTo(select + " FETCH FIRST 5 ROWS ONLY FOR UPDATE SKIP LOCKED");
        assertThat(OutboxDialect.MYSQL.claimQuery(select, 5)).isEqualTo(select + " LIMIT 5 FOR UPDATE SKIP LOCKED");
        assertThat(OutboxDialect.H2.claimQuery(select, 5)).isEqualTo(select + " FETCH FIRST 5 ROWS ONLY");
        assertThat(OutboxDialect.DERBY.claimQuery(select, 5)).isEqualTo(select + " FETCH FIRST 5 ROWS ONLY");
    }
}
