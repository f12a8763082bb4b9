package dev.pypianalytics.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The browser scripts' runner: its time limit fires while a script hangs, and much stderr does not block it.
 * JUnit's own limit (in a separate thread: a read blocked on a pipe ignores interrupts) turns a runner that hangs into a failure.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BrowserTests {

    @TempDir
    Path directory;

    @Test
    void aScriptThatHangsIsStoppedAtTheTimeLimit() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> Browser.exec(List.of("node", "-e", "console.error('waiting'); setInterval(() => {}, 1000)"),
                directory, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not finish in 2 s").hasMessageContaining("waiting");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void muchOutputOnStderrDoesNotBlockTheScript() throws Exception {
        // 4 MB on stderr before anything on stdout: far more than a pipe holds.
        String script = "process.stderr.write('x'.repeat(4 << 20), () => console.log(JSON.stringify({ok: true})))";
        assertThat(Browser.exec(List.of("node", "-e", script), directory, Duration.ofSeconds(20)).strip()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void aFailingScriptReportsItsStderr() {
        assertThatThrownBy(() -> Browser.exec(List.of("node", "-e", "console.error('broken page'); process.exit(3)"),
                directory, Duration.ofSeconds(20)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("failed (3)").hasMessageContaining("broken page");
    }
}
