package io.jetstreambridge.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.InboxSettings;
import jakarta.persistence.Column;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The length the consumer and the configuration check values against is the length the entity maps (and the
 * schema tests hold the shipped scripts to the entity): a column widened in one place only fails here.
 */
class InboxTextColumnsTest {

    @Test
    void theCheckedLengthIsTheMappedLengthOfEveryTextColumn() throws Exception {
        for (String field : List.of("eventId", "eventType", "resourceType", "resourceId", "subject", "stream")) {
            Column column = InboxEvent.class.getDeclaredField(field).getAnnotation(Column.class);
            assertThat(column.length()).as(field).isEqualTo(InboxSettings.TEXT_COLUMN_LENGTH);
        }
    }
}
