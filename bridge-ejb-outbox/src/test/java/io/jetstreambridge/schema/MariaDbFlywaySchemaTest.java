package io.jetstreambridge.schema;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped {@code mysql} scripts with Flyway (flyway-mysql) on the local MariaDB, each run on a throwaway
 * database created in {@code latin1} (see {@link EmptyDatabase#mariaDb}), so the scripts must set their character
 * set themselves.
 */
class MariaDbFlywaySchemaTest extends AbstractFlywaySchemaTest {

    MariaDbFlywaySchemaTest() {
        super(ShippedScripts.Database.MYSQL);
    }

    @Override
    EmptyDatabase createEmpty(String hint) {
        return EmptyDatabase.mariaDb(hint);
    }

    @Test
    void textColumnsAreUtf8mb4AndEventIdsCompareExactly() throws Exception {
        try (EmptyDatabase database = createEmpty("charset")) {
            flyway(database, c -> c).migrate();
            List<String> problems = new ArrayList<>();
            try (Connection connection = database.openConnection();
                 PreparedStatement query = connection.prepareStatement("SELECT table_name, column_name, "
                         + "character_set_name, collation_name FROM information_schema.columns "
                         + "WHERE table_schema = ? AND table_name LIKE 'jetstream\\_bridge\\_%\\_events' "
                         + "AND character_set_name IS NOT NULL ORDER BY table_name, ordinal_position")) {
                query.setString(1, database.catalog());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        String column = rows.getString(1) + "." + rows.getString(2);
                        String charset = rows.getString(3);
                        String collation = rows.getString(4);
                        if (!charset.equals("utf8mb4")) {
                            problems.add(column + " is " + charset + ": non-Latin text would be refused");
                        }
                        if (rows.getString(2).equals("event_id") && !collation.equals("utf8mb4_bin")) {
                            problems.add(column + " compares with " + collation
                                    + ": ids differing only in case would collide");
                        }
                    }
                }
            }
            assertThat(problems).as("character sets of the tables on %s (created latin1)", database).isEmpty();
        }
    }
}
