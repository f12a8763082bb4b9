package dev.pypianalytics.api.http;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimitedBodyTests {

    private static void add(LimitedBody body, String text) {
        body.add(DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBodyWithinTheLimitIsKeptWhole() {
        LimitedBody body = new LimitedBody(10, 100);
        add(body, "{\"a\":");
        add(body, "1}");
        add(body, "   ");
        assertThat(body.overLimit()).isFalse();
        assertThat(new String(body.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}   ");
    }

    @Test
    void exactlyTheLimitIsWithinIt() {
        LimitedBody body = new LimitedBody(4, 100);
        add(body, "abcd");
        assertThat(body.overLimit()).isFalse();
        assertThat(body.bytes()).hasSize(4);
    }

    @Test
    void pastTheLimitNothingIsKeptButTheRestIsCountedUpToTheDrainLimit() {
        LimitedBody body = new LimitedBody(4, 10);
        add(body, "abc");
        add(body, "de");
        assertThat(body.overLimit()).isTrue();
        assertThat(body.pastDrainLimit()).isFalse();
        assertThatThrownBy(body::bytes).isInstanceOf(IllegalStateException.class);
        add(body, "fghij");
        assertThat(body.pastDrainLimit()).isFalse();
        add(body, "k");
        assertThat(body.pastDrainLimit()).isTrue();
    }
}
