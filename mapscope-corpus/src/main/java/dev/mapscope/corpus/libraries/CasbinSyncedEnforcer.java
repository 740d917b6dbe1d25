package dev.mapscope.corpus.libraries;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.casbin.jcasbin.main.SyncedEnforcer;
import org.casbin.jcasbin.model.Model;

/**
 * jcasbin's {@code SyncedEnforcer}, the enforcer its documentation gives for concurrent use (a
 * ReentrantReadWriteLock around the policy): four threads check permissions while a fifth grants and
 * revokes roles. The enforcer builds maps per call (request parameters, role copies) and keeps its policy
 * under the lock; a check that creates a role does it in a synchronized method of the role manager, after
 * the read lock, and a grant does it under the write lock, which comes after every read unlock. Tier 2 once
 * reported per-call maps, never shared, as races (a map identified by a recycled identity hash), and later a
 * check followed by a grant (the read unlock was not modelled as ordered before the next write lock). The
 * checkers do not ask for the roles of a user: in jcasbin 1.99.0 that call has a race of its own.
 * {@code DefaultRoleManager.getRoles} creates an unknown user's role in the role manager's {@code HashMap}
 * and removes it again, under {@code SyncedEnforcer}'s read lock only. The agent drew it once, with one
 * stack: the other reader's write was ordered before it through the domain manager's
 * {@code ConcurrentHashMap} in all but a narrow window, so it does not repeat on demand.
 */
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
