package dev.mapscope.corpus.libraries;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.casbin.jcasbin.main.SyncedEnforcer;
import org.casbin.jcasbin.model.Model;

/**
 * jcasbin 1.99.0's {@code SyncedEnforcer}, the enforcer its documentation gives for concurrent use (a
 * ReentrantReadWriteLock around the policy): four threads check permissions while a fifth grants and revokes
 * roles. A race of jcasbin's own, found by this corpus: {@code CoreEnforcer.enforce} registers its matcher
 * functions in the expression engine on first use ({@code AviatorEvaluatorInstance.containsFunction}, then
 * {@code addFunction}: a {@code HashMap} check-then-put) while holding only the read lock, so two checkers
 * that start at once read and write that map together. Each round builds a new enforcer, so each round
 * races again. The registration removes, checks, adds and looks functions up at several lines of Aviator's
 * code, so the one bug comes out as a few findings, one per pair of racing lines, some of them seen once with
 * one stack: it is run by hand ({@code Corpus found}), not asserted by the build.
 *
 * <p>What must not be reported, and was before the read/write lock model had two clocks: a check that
 * creates a role (in a synchronized method of the role manager, under the read lock) followed by a grant
 * under the write lock, which comes after every read unlock. The checkers do not ask for a user's roles: in
 * 1.99.0 {@code DefaultRoleManager.getRoles} also creates and removes an unknown user's role under the read
 * lock, a race the agent saw once with one stack and that does not repeat on demand.
 */
@Race(
        kinds = {Race.UNSYNCHRONIZED_READ, Race.CONCURRENT_READ, Race.UNSYNCHRONIZED_WRITE, Race.CONCURRENT_WRITE},
        overlapping = false,
        method = "check",
        reader = "check")
public final class CasbinSyncedEnforcer implements Program {
    private static final String MODEL = String.join(
            "\n",
            "[request_definition]",
            "r = sub, obj, act",
            "[policy_definition]",
            "p = sub, obj, act",
            "[role_definition]",
            "g = _, _",
            "[policy_effect]",
            "e = some(where (p.eft == allow))",
            "[matchers]",
            "m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act");

    /** An enforcer with the model above and two policies: readers may read reports, writers write them. */
    private static SyncedEnforcer enforcer() {
        SyncedEnforcer enforcer = new SyncedEnforcer(Model.newModelFromString(MODEL));
        enforcer.addPolicy("reader", "reports", "read");
        enforcer.addPolicy("writer", "reports", "write");
        return enforcer;
    }

    @Override
    public void run() throws Exception {
        SyncedEnforcer enforcer = enforcer();
        ExecutorService pool = Executors.newFixedThreadPool(5, r -> new Thread(r, "casbin"));
        try {
            List<Future<Integer>> results = new ArrayList<>();
            results.add(pool.submit(() -> administer(enforcer)));
            for (int t = 0; t < 4; t++) {
                int user = t;
                results.add(pool.submit(() -> check(enforcer, user)));
            }
            for (Future<Integer> f : results) {
                f.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static int administer(SyncedEnforcer enforcer) {
        int changes = 0;
        for (int i = 0; i < 200; i++) {
            String user = "user" + (i % 8);
            if (enforcer.addRoleForUser(user, i % 2 == 0 ? "reader" : "writer")) {
                changes++;
            }
            if (i % 3 == 0 && enforcer.deleteRoleForUser(user, "writer")) {
                changes++;
            }
        }
        return changes;
    }

    private static int check(SyncedEnforcer enforcer, int worker) {
        int allowed = 0;
        for (int i = 0; i < 300; i++) {
            String user = "user" + ((worker + i) % 8);
            if (enforcer.enforce(user, "reports", i % 2 == 0 ? "read" : "write")) {
                allowed++;
            }
        }
        return allowed;
    }
}
