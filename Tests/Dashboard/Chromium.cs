using System.Diagnostics;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>
/// Debian's chromium, which the browser tests drive through Playwright (its own browser download is not needed).
/// Installed with apt when missing, once per test run, so `dotnet test` alone passes on a fresh machine.
/// </summary>
public static class Chromium
{
    public const string Executable = "/usr/bin/chromium";

    private const string InstallCommand = "apt-get install -y --no-install-recommends chromium";

    private static readonly Lazy<Task> Installation = new(InstallAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Returns when <see cref="Executable"/> exists, installing it first when it does not.</summary>
    public static Task EnsureInstalledAsync() => Installation.Value;

    private static async Task InstallAsync()
    {
        if (File.Exists(Executable))
        {
            return;
        }

        await RunAsync("apt-get", "update");
        await RunAsync("apt-get", InstallCommand["apt-get ".Length..]);
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"`{InstallCommand}` ran but {Executable} is still missing.");
        }
    }

    private static async Task RunAsync(string command, string arguments)
    {
        var start = new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{Executable} is missing and `{command}` could not run ({e.Message}): install Chromium with `{InstallCommand}` (as root).", e);
        }

        using (process)
        {
            if (process is null)
            {
                throw new InvalidOperationException($"`{command} {arguments}` did not start: install Chromium with `{InstallCommand}` (as root).");
            }

            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{Executable} is missing and `{command} {arguments}` exited with {process.ExitCode}: install Chromium with `{InstallCommand}` (as root).\n{await output}\n{await error}");
            }
        }
    }
}
