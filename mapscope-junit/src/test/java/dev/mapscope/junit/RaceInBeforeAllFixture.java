package dev.mapscope.junit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A race outside any test method: the class must fail, its test pass. Run through the engine only. */
@DetectMapRaces
class RaceInBeforeAllFixture {
    @BeforeAll
    static void setUp() throws InterruptedException {
        RacyFixture.race();
    }

    @Test
    void quiet() {}
}
