package dev.pypianalytics.clickhouse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When a result may have been cut by the server without an error. */
class UserProfileTests {

    /** ClickPy's public role: readonly = 1, max_result_rows = 1000, max_result_bytes = 10 MB, result_overflow_mode = 'break'. */
    static final UserProfile PUBLIC = new UserProfile(1, 1000, 10_000_000, true);

    @Test
    void aResultWithinTheRowLimitIsWholeAndOnePastItMayBeCut() {
        assertThat(PUBLIC.mayHaveCut(1000, 50_000)).isFalse();
        assertThat(PUBLIC.mayHaveCut(1001, 50_000)).isTrue();
        // 65,409 of 100,000 rows came back without an error on a copy of that role.
        assertThat(PUBLIC.mayHaveCut(65_409, 900_000)).isTrue();
    }

    @Test
    void aLongBodyMayBeCutByTheByteLimit() {
        assertThat(PUBLIC.mayHaveCut(10, 3_000_000)).isFalse();
        assertThat(PUBLIC.mayHaveCut(10, 3_400_000)).isTrue();
    }

    @Test
    void limitsThatThrowNeverCutSilently() {
        UserProfile throwing = new UserProfile(1, 1000, 10_000_000, false);
        assertThat(throwing.mayHaveCut(1_000_000, 100_000_000)).isFalse();
        assertThat(throwing.wholeRows()).isEqualTo(Long.MAX_VALUE);
        assertThat(UserProfile.OPEN.settingsLocked()).isFalse();
        assertThat(PUBLIC.settingsLocked()).isTrue();
        assertThat(PUBLIC.wholeRows()).isEqualTo(1000);
    }
}
