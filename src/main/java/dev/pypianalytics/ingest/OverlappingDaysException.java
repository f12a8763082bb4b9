package dev.pypianalytics.ingest;

import java.time.LocalDate;
import java.util.List;

/**
 * A file refused because other loaded files already hold some of its days (pypi.ingest.overlap=REFUSE):
 * nothing was counted; the message names the days, the files and the repair command. The folder follower
 * quarantines such a file with this message as the reason.
 */
public class OverlappingDaysException extends IngestException {

    private final List<LocalDate> days;

    public OverlappingDaysException(String message, List<LocalDate> days) {
        super(message);
        this.days = List.copyOf(days);
    }

    /** The file's days that were already loaded from other files. */
    public List<LocalDate> days() {
        return days;
    }
}
