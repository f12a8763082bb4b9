package dev.pypianalytics.config;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the loader ({@code ingest}, the folder follower) treats files (README, "Overlapping exports").
 *
 * @param overlap          what to do with a file holding days that other loaded files already hold
 * @param stageSweepAfter  working tables ({@code ingest_stage_*}) left by killed loads are dropped at start-up
 *                         (owned warehouse) and by {@code generate --replace} once untouched this long and used by
 *                         no running statement; when this process started the embedded engine itself, at once
 */
@Validated
@ConfigurationProperties("pypi.ingest")
public record IngestProperties(
        @NotNull @DefaultValue("REFUSE") Overlap overlap,
        @NotNull @DefaultValue("1h") Duration stageSweepAfter) {

    /** The rule for a file whose days are already (partly) loaded from other files. */
    public enum Overlap {
        /** Refuse the file (nothing counted), naming the days, the files that hold them and the repair command. */
        REFUSE,
        /** Replace each of the file's days with the file's rows, through repair-day. */
        REPLACE,
        /** Count the file's rows in addition (exports that split a day over several files); a re-export is then counted twice. */
        ADD
    }

    /**
     * How long a working table must be idle before a sweep drops it: at once when this process started the
     * embedded engine itself (no other load can be using it), otherwise {@link #stageSweepAfter}.
     */
    public Duration sweepAfter(boolean ownEmbeddedEngine) {
        return ownEmbeddedEngine ? Duration.ZERO : stageSweepAfter;
    }

    public static IngestProperties defaults() {
        return new IngestProperties(Overlap.REFUSE, Duration.ofHours(1));
    }
}
