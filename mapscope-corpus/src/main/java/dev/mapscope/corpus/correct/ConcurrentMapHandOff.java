package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loaders build plain per-customer maps and publish them in a {@code ConcurrentHashMap}; a billing thread
 * {@code remove}s each one as it appears and adds the invoice to it. Placing an entry in a concurrent map
 * happens-before the access that reads or removes it ({@code java.util.concurrent} package documentation,
 * "Memory Consistency Properties").
 */
public final class ConcurrentMapHandOff implements Program {
    private static final int LOADERS = 3;
    private static final int PER_LOADER = 1_000;

    private final ConcurrentHashMap<Integer, Map<String, Integer>> inbox = new ConcurrentHashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int l = 0; l < LOADERS; l++) {
            int id = l;
            threads.add(new Thread(() -> load(id), "chm-loader-" + l));
        }
        threads.add(new Thread(this::bill, "chm-billing"));
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void load(int loader) {
        for (int i = 0; i < PER_LOADER; i++) {
            int customer = loader * PER_LOADER + i;
            Map<String, Integer> account = new HashMap<>();
            account.put("customer", customer);
            account.put("balance", customer % 100);
            inbox.put(customer, account);
        }
    }

    private void bill() {
        for (int customer = 0; customer < LOADERS * PER_LOADER; customer++) {
            Map<String, Integer> account;
            while ((account = inbox.remove(customer)) == null) {
                Thread.onSpinWait();
                Thread.yield();
            }
            invoice(account);
        }
    }

    private void invoice(Map<String, Integer> account) {
        account.put("invoice", account.get("balance") * 2);
    }
}
