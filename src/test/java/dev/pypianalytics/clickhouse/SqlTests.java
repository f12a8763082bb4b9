package dev.pypianalytics.clickhouse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlTests {

    @Test
    void bindingsNeverTouchTheText() {
        Sql sql = Sql.of("SELECT count() FROM pypi WHERE project = {project:String}").bind("project", "x' OR 1=1 --");
        assertThat(sql.text()).isEqualTo("SELECT count() FROM pypi WHERE project = {project:String}");
        assertThat(sql.bindings()).containsEntry("project", "x' OR 1=1 --");
    }

    @Test
    void everyValueNeedsItsTypedPlaceholder() {
        assertThat(Sql.of("SELECT {a:Int64}").bind("a", 1L).checkedParameters().bindings()).containsKey("a");
        assertThatThrownBy(() -> Sql.of("SELECT :a").bind("a", 1L).checkedParameters()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copiesLeaveTheOriginalAlone() {
        Sql original = Sql.of("SELECT 1");
        Sql changed = original.bind("a", 1L).setting("max_threads", 2).withTimeout(Duration.ofSeconds(3));
        assertThat(original.bindings()).isEmpty();
        assertThat(original.settings()).isEmpty();
        assertThat(original.timeout()).isNull();
        assertThat(changed.timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_execution_time = 1; DROP", "Max", "a-b", ""})
    void settingNamesMustBeIdentifiers(String name) {
        assertThatThrownBy(() -> Sql.of("SELECT 1").setting(name, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1; DROP TABLE pypi", "x'y", "a b"})
    void settingValuesMustBePlainWords(String value) {
        assertThatThrownBy(() -> Sql.of("SELECT 1").setting("load_balancing", value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullMustBeBoundAsTypedNull() {
        assertThatThrownBy(() -> Sql.of("SELECT {a:Nullable(String)}").bind("a", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("NullValue");
        assertThat(Sql.of("SELECT {a:Nullable(String)}").bind("a", new Sql.NullValue(String.class)).bindings()).containsKey("a");
    }
}
