package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The access log's timestamp is exactly {@link Instant#toString()}, only cheaper. */
class IsoInstantTest {

    @Test
    void matchesInstantToStringForEveryFractionShape() {
        long[] nanos = {
            0,
            1,
            999,
            1_000,
            120_000,
            999_999,
            1_000_000,
            5_000_000,
            123_000_000,
            123_456_000,
            123_456_789,
            999_999_999
        };
        for (long sec :
                new long[] {
                    0,
                    1_795_000_000L,
                    1_795_000_001L,
                    -1,
                    253_402_300_799L,
                    253_402_300_800L,
                    -62_167_219_200L,
                    -62_167_219_201L
                }) {
            for (long n : nanos) {
                Instant t = Instant.ofEpochSecond(sec, n);
                assertThat(IsoInstant.format(t)).as("%s", t).isEqualTo(t.toString());
            }
        }
    }

    @Test
    void matchesInstantToStringOnRandomInstantsAcrossSecondBoundaries() {
        SplittableRandom r = new SplittableRandom(7);
        long base = 1_795_000_000L;
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(base + r.nextInt(4), r.nextInt(1_000_000_000));
            assertThat(IsoInstant.format(t)).isEqualTo(t.toString());
        }
    }
}
