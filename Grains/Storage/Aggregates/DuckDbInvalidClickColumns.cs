using System.Globalization;
using DuckDB.NET.Data;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>
/// The invalid-click columns of minute_counts and hour_counts: one BIGINT per <see cref="Events.InvalidTrafficReason"/>, last in
/// each table, in reason order. A file written before they existed gets them when it is opened.
/// </summary>
internal static class DuckDbInvalidClickColumns
{
    /// <summary>The columns in reason order (expiredToken, knownCrawler, tooEarly, addressFlood, campaignFlood).</summary>
    public static readonly IReadOnlyList<string> Names =
        ["invalid_expired_token", "invalid_known_crawler", "invalid_too_early", "invalid_address_flood", "invalid_campaign_flood"];

    private static readonly string[] Tables = ["minute_counts", "hour_counts"];

    /// <summary>
    /// Adds the columns a table lacks, at its end, where the staging table, the merge and the rollup expect them; existing
    /// rows read 0. Only missing columns are added: DuckDB 1.5 may rewrite every row of an <c>ADD COLUMN IF NOT EXISTS ... DEFAULT</c>
    /// whose column exists (duckdb/duckdb#23209), which would zero the counts on each open. Without NOT NULL, which DuckDB
    /// refuses on an added column ("Adding columns with constraints not yet supported"): every write fills them.
    /// </summary>
    public static void AddMissing(DuckDBConnection connection)
    {
        foreach (var table in Tables)
        {
            var existing = new HashSet<string>(StringComparer.Ordinal);
            using (var columns = connection.CreateCommand())
            {
                columns.CommandText = "SELECT column_name FROM duckdb_columns() WHERE table_name = $table AND schema_name = 'main'";
                columns.Parameters.Add(new DuckDBParameter("table", table));
                using var reader = columns.ExecuteReader();
                while (reader.Read())
                {
                    existing.Add(reader.GetString(0));
                }
            }

            foreach (var name in Names.Where(n => !existing.Contains(n)))
            {
                using var add = connection.CreateCommand();
                add.CommandText = string.Create(CultureInfo.InvariantCulture, $"ALTER TABLE {table} ADD COLUMN {name} BIGINT DEFAULT 0");
                add.ExecuteNonQuery();
            }
        }
    }

    /// <summary>The counts in the five columns from <paramref name="first"/> on, as a query selects them in <see cref="Names"/> order.</summary>
    public static InvalidClickCounts Read(DuckDBDataReader reader, int first) => new(
        reader.GetInt64(first), reader.GetInt64(first + 1), reader.GetInt64(first + 2), reader.GetInt64(first + 3), reader.GetInt64(first + 4));
}
