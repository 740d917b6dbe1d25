package dev.mapscope.agent.boot.race;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts the watch (both tiers) before each test with a sink that keeps every race, and stops it after. */
final class RecordedRaces implements BeforeEachCallback, AfterEachCallback, Sink {
    private final List<Race> races = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (races) {
            races.clear();
        }
        MapWatch.start(true, this);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        MapWatch.stop();
    }

    @Override
    public long report(Race race) {
        synchronized (races) {
            races.add(race);
            return races.size();
        }
    }

    @Override
    public void repeat(long key) {}

    /** The races reported so far, a copy. */
    List<Race> all() {
        synchronized (races) {
            return new ArrayList<>(races);
        }
    }
}
