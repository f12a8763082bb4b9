package dev.pypianalytics.ingest;

import org.slf4j.Logger;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Where long operations report how far they are: rows done, rows per second and, when the total is
 * known, the time left. On a terminal the live line is rewritten in place; elsewhere (logs, CI) a line
 * is written at most every ten seconds.
 */
public interface Progress {

    /** A milestone worth a line of its own. */
    void step(String message);

    /**
     * Live progress of one stage.
     *
     * @param total rows expected in all, or a negative number when unknown
     * @param fraction share of the work done (0..1) when known otherwise (e.g. bytes sent), or negative
     */
    void rows(String stage, long done, long total, double fraction, Duration elapsed);

    /** Progress to a terminal or a plain stream. */
    static Progress to(PrintStream out, boolean terminal) {
        return new Stream(out, terminal);
    }

    /** Progress into a logger (the gateway's start-up). */
    static Progress to(Logger log) {
        return new Stream(null, false) {
            @Override
            void print(String line, boolean live) {
                log.info("{}", line);
            }
        };
    }

    /** Formats a progress line: "stage: 1,234,567 rows, 250,000 rows/s, 80%, ETA 3 s". */
    static String describe(String stage, long done, long total, double fraction, Duration elapsed) {
        double seconds = Math.max(0.001, elapsed.toMillis() / 1000.0);
        double rate = done / seconds;
        double share = total > 0 ? Math.min(1.0, (double) done / total) : fraction;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: %,d rows, %,.0f rows/s", stage, done, rate));
        if (share > 0) {
            long left = Math.round(seconds / share - seconds);
            line.append(String.format(Locale.ROOT, ", %.0f%%, ETA %s", share * 100, duration(left)));
        }
        return line.toString();
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min"
                : seconds >= 60 ? (seconds / 60) + " min " + (seconds % 60) + " s"
                : seconds + " s";
    }

    /** The stream implementation. */
    class Stream implements Progress {

        private static final long QUIET_NANOS = Duration.ofSeconds(10).toNanos();

        private final PrintStream out;
        private final boolean terminal;
        private long lastLine = System.nanoTime();
        private int liveWidth;

        Stream(PrintStream out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        @Override
        public synchronized void step(String message) {
            endLive();
            print(message, false);
        }

        @Override
        public synchronized void rows(String stage, long done, long total, double fraction, Duration elapsed) {
            String line = describe(stage, done, total, fraction, elapsed);
            if (terminal) {
                print(line, true);
            } else if (System.nanoTime() - lastLine >= QUIET_NANOS) {
                lastLine = System.nanoTime();
                print(line, false);
            }
        }

        void print(String line, boolean live) {
            if (live) {
                out.print("\r" + line + " ".repeat(Math.max(0, liveWidth - line.length())));
                liveWidth = line.length();
            } else {
                out.println(line);
            }
            out.flush();
        }

        private void endLive() {
            if (liveWidth > 0) {
                out.println();
                liveWidth = 0;
            }
        }
    }
}
