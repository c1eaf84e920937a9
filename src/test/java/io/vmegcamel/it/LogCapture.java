package io.vmegcamel.it;

import java.io.StringWriter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Everything the bundle logs (root logger), as text, for tests that assert on log lines. */
final class LogCapture implements AutoCloseable {

    private final StringWriter text = new StringWriter();
    private final WriterAppender appender;

    /** Starts capturing; {@code pattern} is a Log4j 2 layout such as {@code "%m%n"}. */
    LogCapture(String name, String pattern) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        appender = WriterAppender.newBuilder().setName(name).setTarget(text)
                .setLayout(PatternLayout.newBuilder().withPattern(pattern).build()).build();
        appender.start();
        ctx.getConfiguration().addAppender(appender);
        ctx.getRootLogger().addAppender(appender);
        ctx.updateLoggers();
    }

    String text() {
        return text.toString();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getRootLogger().removeAppender(appender);
        ctx.updateLoggers();
    }
}
