package io.electraconvert.cli;

import io.electraconvert.hf.formats.WeightsFormats;
import io.electraconvert.hf.weights.WeightsFormat;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * What every command's {@code --help} shows beyond picocli's defaults: a "Weight formats" section, from the
 * registry, wherever a command has {@code --format}, and footers whose indented lines (examples, tables) are printed
 * as written, since picocli would wrap them at the help width and a command wrapped mid-way cannot be pasted.
 */
final class HelpSections {
    static final String FORMATS = "weightFormats";
    /** Footer lines starting with this are printed as written. */
    static final String VERBATIM = "  ";

    private HelpSections() {}

    static void install(CommandLine command) {
        command.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, HelpSections::footer);
        if (command.getCommandSpec().findOption("--format") != null) {
            command.getHelpSectionMap().put(FORMATS, HelpSections::formats);
            List<String> keys = new ArrayList<>(command.getHelpSectionKeys());
            keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), FORMATS);
            command.setHelpSectionKeys(keys);
        }
        command.getSubcommands().values().forEach(HelpSections::install);
    }

    private static String footer(Help help) {
        UsageMessageSpec usage = help.commandSpec().usageMessage();
        StringBuilder text = new StringBuilder();
        for (String line : usage.footer()) {
            if (line.startsWith(VERBATIM)) {
                text.append(line).append(System.lineSeparator());
            } else {
                TextTable table = TextTable.forColumns(help.colorScheme(), new Column(usage.width(), 0, Column.Overflow.WRAP));
                table.indentWrappedLines = 0;
                table.addRowValues(line);
                table.toString(text);
            }
        }
        return text.toString();
    }

    private static String formats(Help help) {
        UsageMessageSpec usage = help.commandSpec().usageMessage();
        boolean shards = help.commandSpec().findOption("--max-shard-size") != null;
        int nameWidth = WeightsFormats.all().stream().mapToInt(f -> f.name().length()).max().orElse(0) + 4;
        TextTable table = TextTable.forColumns(help.colorScheme(), new Column(nameWidth, 2, Column.Overflow.SPAN),
                new Column(usage.width() - nameWidth, 0, Column.Overflow.WRAP));
        for (WeightsFormat f : WeightsFormats.all()) {
            table.addRowValues(f.name(), f.description() + (shards && f.shardable() ? "; --max-shard-size splits it" : ""));
        }
        return System.lineSeparator() + "Weight formats (--format):" + System.lineSeparator() + table;
    }
}
