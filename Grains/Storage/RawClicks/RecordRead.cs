namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>What a segment holds at a position: a whole record, the start of one cut short, or no record.</summary>
internal enum RecordRead
{
    Record,
    Incomplete,
    Invalid,
}
