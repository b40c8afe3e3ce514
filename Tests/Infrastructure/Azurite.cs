using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>
/// A real Azurite (npm package, installed by `npm ci` at the repository root) on free ports, with a
/// random account key and its data in a temp folder. It can be stopped and started again on the same
/// ports and data, to make storage unreachable for a while.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private const string Account = "devstoreaccount1";
    private const string SecondAccount = "devstoreaccount2";

    private readonly TempDirectory _location = new();
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
    private readonly string _secondKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
    private readonly int _blobPort = FreePort.Next();
    private readonly int _queuePort = FreePort.Next();
    private readonly int _tablePort = FreePort.Next();
    private Process? _process;

    private Azurite()
    {
    }

    public string ConnectionString => ConnectionStringOf(Account, _key);

    /// <summary>A second storage account of the same Azurite, for code that spreads data over accounts.</summary>
    public string SecondConnectionString => ConnectionStringOf(SecondAccount, _secondKey);

    public static async Task<Azurite> StartAsync()
    {
        var azurite = new Azurite();
        await azurite.StartAgainAsync();
        return azurite;
    }

    /// <summary>Starts (again) on the same ports and data; returns when every service accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(Executable())
        {
            ArgumentList =
            {
                "--silent", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
                "--location", _location.Path,
                "--blobHost", "127.0.0.1", "--blobPort", _blobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--queueHost", "127.0.0.1", "--queuePort", _queuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tableHost", "127.0.0.1", "--tablePort", _tablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["AZURITE_ACCOUNTS"] = $"{Account}:{_key};{SecondAccount}:{_secondKey}";
        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in new[] { _blobPort, _queuePort, _tablePort })
        {
            while (!await AcceptsAsync(port))
            {
                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Azurite did not listen on port {port} (exited: {_process.HasExited}). Run `npm ci` at the repository root.");
                }

                await Task.Delay(50);
            }
        }
    }

    /// <summary>Kills the process: with on-disk data Azurite takes tens of seconds to exit politely.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _location.Dispose();
    }

    private string ConnectionStringOf(string account, string key) =>
        $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={key};" +
        $"BlobEndpoint=http://127.0.0.1:{_blobPort}/{account};" +
        $"QueueEndpoint=http://127.0.0.1:{_queuePort}/{account};" +
        $"TableEndpoint=http://127.0.0.1:{_tablePort}/{account};";

    /// <summary>
    /// A connection string through proxies that the test can cut: storage unreachable for a while,
    /// while Azurite keeps running (killing it would lose what it had not yet saved to disk).
    /// </summary>
    public StorageNetwork ThroughProxies()
    {
        TcpProxy[] proxies = [new(_blobPort), new(_queuePort), new(_tablePort)];
        var connectionString =
            $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={_key};" +
            $"BlobEndpoint=http://127.0.0.1:{proxies[0].Port}/{Account};" +
            $"QueueEndpoint=http://127.0.0.1:{proxies[1].Port}/{Account};" +
            $"TableEndpoint=http://127.0.0.1:{proxies[2].Port}/{Account};";
        return new StorageNetwork(connectionString, proxies);
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static readonly Lazy<string> InstalledExecutable = new(Install);

    private static string Executable() => InstalledExecutable.Value;

    /// <summary>
    /// Azurite from node_modules at the repository root, installed there by `npm ci` (pinned by
    /// package-lock.json) when missing, so `dotnet test` alone runs every test on a fresh clone.
    /// </summary>
    private static string Install()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "package-lock.json")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new FileNotFoundException("package-lock.json not found above the test folder: cannot install Azurite.");
        }

        var executable = Path.Combine(root.FullName, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = root.FullName, UseShellExecute = false })
                ?? throw new InvalidOperationException("npm did not start.");
            npm.WaitForExit();
            if (npm.ExitCode != 0 || !File.Exists(executable))
            {
                throw new InvalidOperationException($"`npm ci` in {root.FullName} failed (exit code {npm.ExitCode}); Azurite is needed by the Azure Storage tests.");
            }
        }

        return executable;
    }
}
