using System.Diagnostics;

namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>The dotnet CLI run on this repository's projects, for tests of what the SDK does with them (publishing).</summary>
public static class DotnetCli
{
    /// <summary>The repository root: the folder holding Orleans.AdClicks.sln above the test output.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Runs dotnet with these arguments in the repository root; returns its standard output, throws with all of its output on a non-zero exit.</summary>
    public static async Task<string> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A test run under `dotnet test` inherits MSBuild's own variables, which would point the child at the parent's build.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }

        return await output;
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Orleans.AdClicks.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Orleans.AdClicks.sln not found above the test folder.");
    }
}
