using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>
/// A host of the app (the Api or the headless Silo) as its own OS process, so a test can kill it hard
/// (SIGKILL: no graceful shutdown, nothing flushed) or stop it as a platform does (SIGTERM), read what
/// it printed, and start it again on the same ports and data directory.
/// </summary>
public sealed class HostProcess(string executable, IReadOnlyDictionary<string, string> environment, Uri readiness) : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    /// <summary>The lines the process wrote to standard output and error, over all its starts.</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <summary>Settings as environment variables, the way a container gets them ("A:B" becomes "A__B").</summary>
    public static Dictionary<string, string> Environment(params IEnumerable<KeyValuePair<string, string>>[] settings)
    {
        var environment = new Dictionary<string, string>();
        foreach (var (key, value) in settings.SelectMany(s => s))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return environment;
    }

    /// <summary>Starts the process and waits until its readiness address answers 200.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, executable))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await client.GetAsync(readiness)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{executable} did not become ready (exited: {_process.HasExited}); it printed:\n{string.Join('\n', _output)}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to flush, drain or say goodbye to the cluster.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>
    /// SIGTERM, as Container Apps and Kubernetes stop a container, then waits for the process to exit
    /// (killing it after <paramref name="patience"/>, as they would); returns how long it took to exit.
    /// </summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan patience)
    {
        var process = _process ?? throw new InvalidOperationException($"{executable} is not running.");
        var watch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        var elapsed = watch.Elapsed;
        await KillAsync();
        return elapsed;
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
