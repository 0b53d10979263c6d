package io.electraconvert.maven;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;

/** Maven's log as a goal run outside Maven sees it, keeping the lines above debug level for the test to read. */
final class RecordingLog extends SystemStreamLog {
    final List<String> lines = new ArrayList<>();

    @Override
    public void info(CharSequence content) {
        lines.add("[INFO] " + content);
    }

    @Override
    public void warn(CharSequence content) {
        lines.add("[WARNING] " + content);
    }

    @Override
    public void error(CharSequence content) {
        lines.add("[ERROR] " + content);
    }

    @Override
    public void debug(CharSequence content) {
        // the forking command line and each config value: not what these tests read
    }

    String text() {
        return String.join("\n", lines);
    }
}
