using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Deployment;

/// <summary>
/// Every template and parameters file builds and lints with no diagnostic at all: bicepconfig.json raises the linter
/// rules to errors, and the compiler's own warnings (unknown property, wrong type) count too.
/// </summary>
[Trait("Category", "Bicep")]
public sealed class BicepLintTests
{
    public static TheoryData<string> Files() => [.. BicepCli.Files()];

    [Fact]
    public void Files_AreFound()
    {
        Assert.Contains("main.bicep", BicepCli.Files());
        Assert.Contains("main.small.bicepparam", BicepCli.Files());
        Assert.Contains("main.seed.bicepparam", BicepCli.Files());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Build_EveryFile_NoDiagnostic(string file)
    {
        var command = file.EndsWith(".bicepparam", StringComparison.Ordinal) ? "build-params" : "build";

        var (exitCode, _, diagnostics) = await BicepCli.RunAsync(TestContext.Current.CancellationToken, command, file, "--stdout");

        Assert.Empty(BicepCli.DiagnosticLines(diagnostics));
        Assert.Equal(0, exitCode);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Lint_EveryFile_NoDiagnostic(string file)
    {
        var (exitCode, output, diagnostics) = await BicepCli.RunAsync(TestContext.Current.CancellationToken, "lint", file);

        Assert.Empty(BicepCli.DiagnosticLines(output + "\n" + diagnostics));
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Lint_TemplateWithWarning_Reported()
    {
        // The gate itself: an unused parameter is a linter finding the tests above would see, under the same
        // bicepconfig.json (the CLI finds it next to the file).
        using var folder = new TempDirectory();
        File.Copy(Path.Combine(BicepCli.TemplatesDirectory, "bicepconfig.json"), Path.Combine(folder.Path, "bicepconfig.json"));
        var file = Path.Combine(folder.Path, "unused.bicep");
        await File.WriteAllTextAsync(file, "param unused string\n", TestContext.Current.CancellationToken);

        var (exitCode, output, diagnostics) = await BicepCli.RunAsync(TestContext.Current.CancellationToken, "lint", file);

        Assert.Contains(BicepCli.DiagnosticLines(output + "\n" + diagnostics), l => l.Contains(": Error no-unused-params", StringComparison.Ordinal));
        Assert.NotEqual(0, exitCode);
    }
}
