using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Orleans.Runtime;
using Orleans.Storage;

namespace Orleans.AdClicks.Storage.GrainState;

/// <summary>
/// Grain state in files, for the embedded profile: one file per (state name, grain id) in
/// <c>directory</c>, replaced atomically on every write. The ETag is a version stored in the file.
/// </summary>
/// <remarks>
/// A file holds [i64 version][u8 1 = state, 0 = cleared][serialized state]. Clearing keeps the version
/// (a tombstone) so that a stale ETag from before the clear can never match a later write.
/// </remarks>
public sealed class FileGrainStorage(string directory, IGrainStorageSerializer serializer) : IGrainStorage
{
    private const int HeaderLength = 9;

    // Silos in one process share the directory; a striped process-wide gate keeps check-then-replace atomic per file.
    private static readonly SemaphoreSlim[] Gates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = await ReadFileAsync(PathOf(stateName, grainId));
        grainState.ETag = stored?.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = stored?.Payload is not null;
        if (stored?.Payload is { } payload)
        {
            grainState.State = serializer.Deserialize<T>(payload);
        }
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReplaceAsync(stateName, grainId, grainState, serializer.Serialize(grainState.State));

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReplaceAsync(stateName, grainId, grainState, payload: null);

    private async Task ReplaceAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, BinaryData? payload)
    {
        var path = PathOf(stateName, grainId);
        var gate = Gates[(uint)StringComparer.Ordinal.GetHashCode(path) % Gates.Length];
        await gate.WaitAsync();
        try
        {
            var storedETag = (await ReadFileAsync(path))?.Version.ToString(CultureInfo.InvariantCulture);
            if (!string.Equals(storedETag, grainState.ETag, StringComparison.Ordinal))
            {
                throw new InconsistentStateException(
                    $"The stored ETag of state '{stateName}' of grain {grainId} does not match the grain's.", storedETag, grainState.ETag);
            }

            var version = storedETag is null ? 1 : long.Parse(storedETag, CultureInfo.InvariantCulture) + 1;
            await WriteFileAsync(path, version, payload);
            grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = payload is not null;
        }
        finally
        {
            gate.Release();
        }
    }

    private string PathOf(string stateName, GrainId grainId)
    {
        // Grain ids hold characters no file system accepts; a hash is safe and of fixed length.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{stateName}/{grainId}"));
        return Path.Combine(directory, Convert.ToHexStringLower(hash) + ".state");
    }

    private static async Task<(long Version, BinaryData? Payload)?> ReadFileAsync(string path)
    {
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        if (content.Length < HeaderLength)
        {
            throw new InvalidDataException($"Grain state file '{path}' is truncated.");
        }

        var version = BinaryPrimitives.ReadInt64LittleEndian(content);
        return (version, content[8] == 1 ? new BinaryData(content.AsMemory(HeaderLength)) : null);
    }

    private async Task WriteFileAsync(string path, long version, BinaryData? payload)
    {
        Directory.CreateDirectory(directory);
        var header = new byte[HeaderLength];
        BinaryPrimitives.WriteInt64LittleEndian(header, version);
        header[8] = payload is null ? (byte)0 : (byte)1;

        // Write aside and rename over: a crash leaves the old state or the new one, never half of either.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await file.WriteAsync(header);
                if (payload is not null)
                {
                    await file.WriteAsync(payload.ToMemory());
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
