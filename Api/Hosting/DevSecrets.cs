using System.Security.Cryptography;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Tokens;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>
/// Keys the embedded profile generates on first start and keeps in the data directory (which git
/// ignores), so tokens and API keys stay valid across restarts. Configured keys win. Only one process
/// may generate them: with any Azure service configured, several Api instances share the cluster and
/// would each generate their own, refusing each other's tokens and keys, so the Api refuses to start.
/// </summary>
public static class DevSecrets
{
    public const string AdminKeyFile = "admin.key";
    public const string SigningKeysFile = "signing-keys.txt";
    public const string ApiKeyMacKeyFile = "api-key-mac.key";

    /// <summary>
    /// Throws, naming the keys, when any concern runs on an Azure service (<see cref="AdClicksSettings.AnyAzureService"/>)
    /// but a secret is not configured, so no instance generates one of its own.
    /// </summary>
    public static void ThrowIfGeneratedWouldBeShared(AdClicksSettings settings, IConfiguration configuration)
    {
        if (!settings.AnyAzureService)
        {
            return;
        }

        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(configuration[AuthOptions.AdminKeyKey]))
        {
            missing.Add(AuthOptions.AdminKeyKey);
        }

        if (string.IsNullOrWhiteSpace(configuration[AuthOptions.ApiKeyMacKeyKey]))
        {
            missing.Add(AuthOptions.ApiKeyMacKeyKey);
        }

        var signingKeys = ClickTokenOptions.Section + ":" + nameof(ClickTokenOptions.SigningKeys);
        if (!configuration.GetSection(signingKeys).GetChildren().Any(key => !string.IsNullOrWhiteSpace(key.Value)))
        {
            missing.Add(signingKeys);
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(", ", settings.AzureServices.Select(s => $"{s.Key} is {s.Backend}"))}, so this Api may be one of several instances, "
                + $"and secrets are generated only for a single embedded process. Configure {string.Join(", ", missing)} "
                + "(the same values for every instance; environment variables use __ for :, e.g. AdClicks__Auth__AdminKey, AdClicks__Tokens__SigningKeys__0).");
        }
    }

    /// <summary>The admin key, generated and saved when neither configured nor saved; <paramref name="generated"/> tells.</summary>
    public static string LoadOrCreateAdminKey(string dataPath, out bool generated)
    {
        var path = Path.Combine(dataPath, AdminKeyFile);
        generated = !File.Exists(path);
        if (generated)
        {
            WriteSecret(path, "admin_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        }

        return File.ReadAllText(path).Trim();
    }

    /// <summary>The saved signing keys ("keyId:base64secret" per line), generated and saved when none are.</summary>
    public static IReadOnlyList<string> LoadOrCreateSigningKeys(string dataPath)
    {
        var path = Path.Combine(dataPath, SigningKeysFile);
        if (!File.Exists(path))
        {
            var key = new SigningKey("k1", RandomNumberGenerator.GetBytes(32));
            WriteSecret(path, key.Format() + "\n");
        }

        return [.. File.ReadAllLines(path).Where(line => !string.IsNullOrWhiteSpace(line))];
    }

    /// <summary>The saved API key MAC key (base64 of 32 random bytes), generated and saved when none is.</summary>
    public static string LoadOrCreateApiKeyMacKey(string dataPath)
    {
        var path = Path.Combine(dataPath, ApiKeyMacKeyFile);
        if (!File.Exists(path))
        {
            WriteSecret(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(ApiKeys.MinMacKeyBytes)));
        }

        return File.ReadAllText(path).Trim();
    }

    private static void WriteSecret(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temp, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
        {
            writer.Write(content);
        }

        // Never overwrite: two processes starting at once keep whichever key was written first.
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
        }
    }
}
