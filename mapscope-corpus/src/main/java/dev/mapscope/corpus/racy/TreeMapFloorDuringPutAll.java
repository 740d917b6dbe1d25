package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.Map;
import java.util.TreeMap;

/**
 * A table of price bands (a {@code TreeMap} from lower bound to band) that a pricing thread navigates with
 * {@code floorEntry} while an admin thread adds bands: a navigation during the tree's rebalancing can return
 * the wrong band or loop. The lookup runs while the admin thread is provably inside its {@code putAll}.
 */
@Race(
        kinds = {Race.CONCURRENT_READ, Race.UNSYNCHRONIZED_READ},
        overlapping = true,
        method = "addBands",
        reader = "bandOf")
public final class TreeMapFloorDuringPutAll implements Program {
    private final TreeMap<Integer, String> bands = new TreeMap<>();
    private int round;

    @Override
    public void run() throws InterruptedException {
        int r = round++;
        HeldPutAll<Integer, String> batch = new HeldPutAll<>();
        for (int i = 0; i < 32; i++) {
            batch.with(r * 1_000 + i * 10, "band" + i);
        }
        Thread admin = new Thread(() -> addBands(batch), "bands-admin");
        Thread pricing = new Thread(() -> priceWhenInside(batch, r), "bands-pricing");
        admin.start();
        pricing.start();
        admin.join();
        pricing.join();
    }

    private void addBands(Map<Integer, String> batch) {
        bands.putAll(batch);
    }

    private void priceWhenInside(HeldPutAll<Integer, String> batch, int r) {
        try {
            batch.awaitInside();
            bandOf(r * 1_000 + 55);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            batch.looked();
        }
    }

    private String bandOf(int price) {
        Map.Entry<Integer, String> e = bands.floorEntry(price);
        return e == null ? "none" : e.getValue();
    }
}
