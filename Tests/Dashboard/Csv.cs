using System.Text;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF), as the dashboard's exports write it.</summary>
public static class Csv
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// Every row the table shows is a CSV row, in order, below one header row: each cell's value is one of the row's
    /// fields (a value a spreadsheet would run as a formula may be written with a leading apostrophe), except the
    /// <paramref name="composed"/> columns, whose text is made of several fields named in the header (a schedule
    /// shown as one sentence, exported as its start and end).
    /// </summary>
    public static void AssertHoldsRows(List<List<string>> csv, List<List<(string Column, string Value)>> rows, IReadOnlyDictionary<string, string[]>? composed = null)
    {
        Assert.Equal(rows.Count + 1, csv.Count);
        Assert.DoesNotContain(csv[0], field => field.Length == 0);
        foreach (var fields in (composed ?? new Dictionary<string, string[]>()).Values)
        {
            Assert.All(fields, field => Assert.Contains(field, csv[0]));
        }

        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            var fields = csv[index + 1];
            Assert.All(row.Where(c => c.Value.Length > 0 && composed?.ContainsKey(c.Column) != true), cell => Assert.True(
                fields.Contains(cell.Value) || (cell.Value[0] is '=' or '+' or '-' or '@' && fields.Contains("'" + cell.Value)),
                $"{cell.Column} '{cell.Value}' of row {index} is not in the CSV row [{string.Join(", ", fields)}]"));
        }
    }
}
