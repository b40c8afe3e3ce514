using System.Security.Cryptography;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>
/// Keys the embedded profile generates on first start and keeps in the data directory (which git
/// ignores), so tokens and the admin key stay valid across restarts. Configured keys win.
/// </summary>
public static class DevSecrets
{
    public const string AdminKeyFile = "admin.key";
    public const string SigningKeysFile = "signing-keys.txt";

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
