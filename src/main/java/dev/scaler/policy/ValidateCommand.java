package dev.scaler.policy;

import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.target.Target;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code scaler validate FILE}: checks a policy file as the service would load it, without starting it.
 * Every error is printed with its line; exit 0 when valid (with a one-line summary per target), 1 when
 * the file has errors, 2 on a usage error (picocli's code for a bad command line).
 */
@Command(name = "java -jar scaler.jar validate", sortOptions = false,
        description = "Check a policy file (targets: NAME: {...}) and print every error with its line."
                + " See docs/policy.md.")
public final class ValidateCommand implements Callable<Integer> {

    static final int INVALID = 1;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--inventory", paramLabel = "FILE", defaultValue = ExecutionConfiguration.DEFAULT_INVENTORY,
            description = "inventory a fleet target without fleet-inventory uses (default ${DEFAULT-VALUE})")
    Path inventory;

    @Parameters(index = "0", paramLabel = "FILE", description = "the policy file")
    Path file;

    @Spec
    CommandSpec spec;

    public static int run(String[] args) {
        return new CommandLine(new ValidateCommand()).execute(args);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PolicyReader.Result result = PolicyReader.read(file, inventory);
        if (!result.valid()) {
            result.errors().forEach(err::println);
            err.println(file + ": invalid, " + result.errors().size() + (result.errors().size() == 1 ? " error" : " errors"));
            return INVALID;
        }
        for (Target t : result.targets()) {
            out.println(t.name() + ": " + t.describe() + ", min " + t.policy().minReplicas() + ", max "
                    + t.policy().maxReplicas() + ", capacity per replica " + t.policy().capacityPerReplica()
                    + (t.dryRun() ? ", dry run" : ""));
        }
        out.println(file + ": valid, " + result.targets().size() + (result.targets().size() == 1 ? " target" : " targets"));
        return 0;
    }
}
