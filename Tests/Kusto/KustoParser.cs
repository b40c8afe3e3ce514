using System.Diagnostics;
using System.Text.Json;

namespace Orleans.AdClicks.Tests.Kusto;

/// <summary>
/// Microsoft's own Kusto parser (npm @kusto/language-service-next, run by Tests/Kusto/kql-check.js under Node)
/// checking KQL texts for syntax and semantics against the database that infra/kusto/schema.kql describes.
/// Shared by a class's tests (<c>IClassFixture&lt;KustoParser&gt;</c>); the npm install happens once per test run.
/// </summary>
public sealed class KustoParser
{
    /// <summary>Names of the results for schema.kql's own commands, numbered from 1 in file order.</summary>
    public const string SchemaCommandPrefix = "schema.kql#";

    private const string Package = "@kusto/language-service-next";

    private static readonly Lazy<string> InstalledRoot = new(Install);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public KustoParser()
        : this(Path.Combine(InstalledRoot.Value, "infra", "kusto", "schema.kql"))
    {
    }

    private KustoParser(string schemaPath) => SchemaPath = schemaPath;

    /// <summary>Against another schema file, e.g. a deliberately broken copy.</summary>
    public static KustoParser ForSchema(string schemaPath) => new(schemaPath);

    public string SchemaPath { get; }

    /// <summary>
    /// Diagnostics per name: one entry for each text given, and one per command of the schema file
    /// (<see cref="SchemaCommandPrefix"/>1, 2, …). An empty list means the text is valid KQL for the schema.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<KqlDiagnostic>>> DiagnoseAsync(IEnumerable<(string Name, string Kql)> texts, CancellationToken cancellationToken = default)
    {
        var root = InstalledRoot.Value;
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(root, "Tests", "Kusto", "kql-check.js"), SchemaPath },
            WorkingDirectory = root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(texts.Select(t => new Input(t.Name, t.Kql)), Json));
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync(cancellationToken);
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"kql-check.js failed (exit code {node.ExitCode}): {await error}");
        }

        var results = JsonSerializer.Deserialize<List<Result>>(await output, Json)
            ?? throw new InvalidOperationException("kql-check.js wrote no results.");
        return results.ToDictionary(r => r.Name, r => (IReadOnlyList<KqlDiagnostic>)r.Diagnostics);
    }

    /// <summary>
    /// The repository root (where package-lock.json is), with the parser installed in its node_modules
    /// by `npm ci` (pinned by package-lock.json) when missing, so `dotnet test` alone runs on a fresh clone.
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
            throw new FileNotFoundException($"package-lock.json not found above the test folder: cannot install {Package}.");
        }

        var marker = Path.Combine(root.FullName, "node_modules", Package, "Kusto.Language.Bridge.min.js");
        if (!File.Exists(marker))
        {
            using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = root.FullName, UseShellExecute = false })
                ?? throw new InvalidOperationException("npm did not start.");
            npm.WaitForExit();
            if (npm.ExitCode != 0 || !File.Exists(marker))
            {
                throw new InvalidOperationException($"`npm ci` in {root.FullName} failed (exit code {npm.ExitCode}); {Package} is needed by the Kusto tests.");
            }
        }

        return root.FullName;
    }

    private sealed record Input(string Name, string Kql);

    private sealed record Result(string Name, List<KqlDiagnostic> Diagnostics);
}
