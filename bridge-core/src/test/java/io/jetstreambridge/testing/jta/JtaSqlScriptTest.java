package io.jetstreambridge.testing.jta;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JtaSqlScriptTest {

    @Test
    void splitsAtTerminatingSemicolonsOnly() {
        String script = """
                -- a comment; with a semicolon
                create table a (id int, note varchar(20) default 'x;y');
                /* block; comment */
                insert into a values (1, 'it''s; fine');
                create function f() returns int as $$ begin return 1; end; $$ language plpgsql;
                create function g() returns int as $body$ select 2; $body$ language sql
                ;;
                select "odd;name" from a
                """;

        assertThat(SqlScript.split(script)).containsExactly(
                "create table a (id int, note varchar(20) default 'x;y')",
                "insert into a values (1, 'it''s; fine')",
                "create function f() returns int as $$ begin return 1; end; $$ language plpgsql",
                "create function g() returns int as $body$ select 2; $body$ language sql",
                "select \"odd;name\" from a");
    }

    @Test
    void positionalParametersAreNotDollarQuotes() {
        assertThat(SqlScript.split("select $1; select a$b from t"))
                .containsExactly("select $1", "select a$b from t");
    }

    @Test
    void rejectsUnterminatedQuotes() {
        assertThatThrownBy(() -> SqlScript.split("select 'oops; from t"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsScriptsFromTheClassPath() {
        assertThat(SqlScript.split(SqlScript.readResource(HarnessItem.DDL)))
                .singleElement().asString().startsWith("create table harness_item");
    }
}
