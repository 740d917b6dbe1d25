package dev.mapscope.corpus.libraries;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.mapscope.corpus.Program;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * Logback as a service uses it: request threads put their request id and user in the MDC, log through one
 * logger whose pattern prints the MDC, and clear it. Logback keeps each thread's MDC map to that thread and
 * hands a copy to every logging event; the appender writes events under its own lock.
 */
public final class LogbackMdcRequests implements Program {
    @Override
    public void run() throws Exception {
        LoggerContext context = new LoggerContext();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d %thread %X{request} %X{user} %logger %msg%n");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(OutputStream.nullOutputStream());
        appender.start();
        Logger log = context.getLogger("requests");
        log.addAppender(appender);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "logback-request"));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int id = i;
                done.add(pool.submit(() -> request(log, id)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
            context.stop();
        }
    }

    private static void request(Logger log, int id) {
        MDC.put("request", Integer.toString(id));
        MDC.put("user", "u" + (id % 13));
        try {
            log.info("handling {}", id);
            log.info("done {}", id);
        } finally {
            MDC.clear();
        }
    }
}
