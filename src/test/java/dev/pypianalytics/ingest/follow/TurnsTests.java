package dev.pypianalytics.ingest.follow;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whose turn it is among one listing's files loading several at a time (DirectoryFollower.Turns). */
class TurnsTests {

    static final LocalDate DAY = LocalDate.of(2016, 11, 1);

    @Test
    void theFirstFileNeverWaitsAndAFileOfOtherDaysWaitsOnlyUntilTheEarlierOnesAreRead() throws Exception {
        DirectoryFollower.Turns turns = new DirectoryFollower.Turns(2);
        turns.await(0, Set.of(DAY));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> turns.await(1, Set.of(DAY.plusDays(3))));
        second.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFileSharingADayWithAnEarlierOneWaitsUntilThatOneIsOver() throws Exception {
        DirectoryFollower.Turns turns = new DirectoryFollower.Turns(2);
        turns.await(0, Set.of(DAY, DAY.plusDays(1)));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> turns.await(1, Set.of(DAY.plusDays(1))));
        Thread.sleep(200);
        assertThat(second).isNotDone();
        turns.over(0);
        second.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFileWaitsForAnEarlierOneThatIsNotReadYet() throws Exception {
        DirectoryFollower.Turns turns = new DirectoryFollower.Turns(2);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> turns.await(1, Set.of(DAY.plusDays(5))));
        Thread.sleep(200);
        assertThat(second).isNotDone();
        turns.await(0, Set.of(DAY));
        second.get(5, TimeUnit.SECONDS);
    }

    @Test
    void filesAfterAStopGiveUpAndTheOnesBeforeItDoNot() {
        DirectoryFollower.Turns turns = new DirectoryFollower.Turns(3);
        turns.await(0, Set.of(DAY));
        turns.stopAfter(1);
        assertThat(turns.stopped(1)).isFalse();
        assertThat(turns.stopped(2)).isTrue();
        assertThatThrownBy(() -> turns.await(2, Set.of(DAY.plusDays(9)))).isInstanceOf(DirectoryFollower.Turns.GivenUp.class);
    }
}
