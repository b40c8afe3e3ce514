using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;

namespace Orleans.AdClicks.Tests.Deployment;

/// <summary>
/// The Bicep CLI the Tests project restores as a PackageDownload (its path is stamped into the test assembly), run over
/// infra/bicep. The package's binary may come without the execute bit for this user: it is set on first use.
/// </summary>
public static class BicepCli
{
    private static readonly Lazy<string> Executable = new(Locate);

    /// <summary>The repository's infra/bicep folder.</summary>
    public static string TemplatesDirectory { get; } = FindTemplates();

    /// <summary>
    /// The secrets the parameters files read from the environment, made up for each run: building a parameters file
    /// without them fails, as a deployment would.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParameterSecrets { get; } = new Dictionary<string, string>
    {
        ["ADCLICKS_SIGNING_KEY"] = "ci:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["ADCLICKS_API_KEY_MAC_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["ADCLICKS_ADMIN_KEY"] = "admin_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
    };

    /// <summary>Every .bicep and .bicepparam file under infra/bicep, relative to it.</summary>
    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(TemplatesDirectory, "*.bicep*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".bicep", StringComparison.Ordinal) || f.EndsWith(".bicepparam", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(TemplatesDirectory, f))
            .Order(StringComparer.Ordinal);

    /// <summary>Runs the CLI in infra/bicep; returns its exit code and everything it wrote (diagnostics go to stderr).</summary>
    public static async Task<(int ExitCode, string Output, string Diagnostics)> RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = TemplatesDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in ParameterSecrets)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var diagnostics = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await diagnostics);
    }

    /// <summary>The lines of the CLI's output that report a diagnostic: it exits 0 on warnings, so they are looked for.</summary>
    public static IReadOnlyList<string> DiagnosticLines(string text) =>
        [.. text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains(": Warning ", StringComparison.Ordinal) || l.Contains(": Error ", StringComparison.Ordinal))];

    private static string Locate()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value
            ?? throw new InvalidOperationException("The test assembly names no Bicep CLI.");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {path}: restore the Tests project (it downloads Azure.Bicep.CommandLine.linux-x64).", path);
        }

        // The package is linux-x64 only, like CI.
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The restored Bicep CLI is the linux-x64 build.");
        }

        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        var mode = File.GetUnixFileMode(path);
        if ((mode & execute) != execute)
        {
            File.SetUnixFileMode(path, mode | execute);
        }

        return path;
    }

    private static string FindTemplates()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var templates = Path.Combine(directory.FullName, "infra", "bicep");
            if (File.Exists(Path.Combine(templates, "main.bicep")))
            {
                return templates;
            }
        }

        throw new DirectoryNotFoundException("infra/bicep/main.bicep not found above the test folder.");
    }
}
