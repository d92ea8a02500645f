using Vedette.Detection.Plan;

namespace Vedette.Tests.Plan;

/// <summary>The multi-literal search must find exactly the literals a case-insensitive Contains finds, at every size of literal set.</summary>
public sealed class NeedleSearchTests
{
    private const string Alphabet = "abcCS\\.:/ -_xyz€0kK\u212A";

    // Sizes on both sides of each strategy's limits: short values meet the automaton, long values the vectorised
    // search of a few rare fragments (up to 16) or the fragment filter; literals under three characters, or
    // without an ASCII fragment, keep long values on the automaton.
    [Theory]
    [InlineData(1, 3, true)]
    [InlineData(5, 3, true)]
    [InlineData(16, 3, true)]
    [InlineData(17, 3, true)]
    [InlineData(64, 3, true)]
    [InlineData(65, 3, true)]
    [InlineData(400, 3, true)]
    [InlineData(3000, 3, true)]
    [InlineData(5, 3, false)]
    [InlineData(400, 3, false)]
    [InlineData(5, 1, true)]
    [InlineData(400, 1, true)]
    public void Finds_exactly_the_literals_a_case_insensitive_contains_finds(int needleCount, int shortestNeedle, bool asciiNeedles)
    {
        var random = new Random(needleCount * shortestNeedle);
        string Text(int length, string alphabet) => new([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        // Short literals over a small alphabet overlap, nest and share prefixes and suffixes: the failure links' business.
        var needleAlphabet = asciiNeedles ? new string([.. Alphabet.Where(char.IsAscii)]) : Alphabet;
        var needles = Enumerable.Range(0, needleCount).Select(_ => Text(random.Next(shortestNeedle, 9), needleAlphabet).ToLowerInvariant()).Distinct().ToList();
        var search = new NeedleSearch(needles);
        var found = new List<int>();
        var matches = 0;
        for (var round = 0; round < 300; round++)
        {
            var text = Text(random.Next(0, 600), Alphabet);
            if (round % 3 == 0)
            {
                // Plant literals, in either case, so that matches are frequent at every set size.
                text = text.Insert(random.Next(text.Length + 1), needles[random.Next(needles.Count)].ToUpperInvariant());
            }
            found.Clear();
            search.FindAll(text, found);
            var expected = Enumerable.Range(0, needles.Count).Where(i => text.Contains(needles[i], StringComparison.OrdinalIgnoreCase)).ToHashSet();
            Assert.Equal(expected.Order(), found.Distinct().Order());
            matches += expected.Count;
        }
        Assert.True(matches >= 100, $"only {matches} literal occurrences: the test exercises too little");
    }

    /// <summary>
    /// Raw records are searched in their UTF-8 bytes: up to 16 fragments by the byte Teddy, a vector of positions
    /// at a time with a last block that overlaps the one before, so every length around the vector widths is tried,
    /// with literals planted at the very start and end and non-ASCII characters around them.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(40)]
    public void Finds_in_utf8_bytes_exactly_the_literals_a_case_insensitive_contains_finds(int needleCount)
    {
        var random = new Random(needleCount + 1000);
        string Text(int length, string alphabet) => new([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        var ascii = new string([.. Alphabet.Where(char.IsAscii)]);
        var needles = Enumerable.Range(0, needleCount).Select(_ => Text(random.Next(3, 9), ascii).ToLowerInvariant()).Distinct().ToList();
        var search = new NeedleSearch(needles);
        var scratch = new PlanScratch();
        var found = new List<int>();
        var matches = 0;
        for (var length = 0; length < 300; length++)
        {
            for (var round = 0; round < 4; round++)
            {
                var text = Text(length, Alphabet);
                var needle = needles[random.Next(needles.Count)];
                text = round switch
                {
                    0 => needle.ToUpperInvariant() + text,
                    1 => text + needle,
                    2 => text.Insert(random.Next(text.Length + 1), needle),
                    _ => text,
                };
                found.Clear();
                search.FindAll(System.Text.Encoding.UTF8.GetBytes(text), scratch, found);
                var expected = Enumerable.Range(0, needles.Count).Where(i => text.Contains(needles[i], StringComparison.OrdinalIgnoreCase)).ToHashSet();
                Assert.True(expected.Order().SequenceEqual(found.Distinct().Order()), $"text '{text}': expected [{string.Join(",", expected.Order())}], found [{string.Join(",", found.Distinct().Order())}]");
                matches += expected.Count;
            }
        }
        Assert.True(matches >= 900, $"only {matches} literal occurrences: the test exercises too little");
    }

    /// <summary>
    /// A value as written in JSON (backslash and quote escaped) is searched for the literals spelled the same way:
    /// no match may start on an escape's second character, so backslash runs and quotes are what the text is made of.
    /// </summary>
    [Theory]
    [InlineData(5)]
    [InlineData(40)]
    public void Finds_in_a_value_as_written_exactly_the_literals_its_decoded_text_contains(int needleCount)
    {
        const string Written = @"ab\""\.:";
        var random = new Random(needleCount);
        string Text(int length) => new([.. Enumerable.Range(0, length).Select(_ => Written[random.Next(Written.Length)])]);
        var needles = Enumerable.Range(0, needleCount).Select(_ => Text(random.Next(3, 7))).Distinct().ToList();
        var search = RareFragments.TryBuild([.. needles.Select(RareFragments.SpellWritten)], shortValues: true)!;
        var scratch = new PlanScratch();
        var found = new List<int>();
        var matches = 0;
        for (var round = 0; round < 400; round++)
        {
            var text = Text(random.Next(0, 300));
            if (round % 2 == 0)
            {
                text = text.Insert(random.Next(text.Length + 1), needles[random.Next(needles.Count)].ToUpperInvariant());
            }
            var expected = Enumerable.Range(0, needles.Count).Where(i => text.Contains(needles[i], StringComparison.OrdinalIgnoreCase)).ToHashSet();
            // Both ways the plan searches written text: as UTF-8 bytes, and widened to UTF-16 for the vectorised search.
            found.Clear();
            search.FindAll(System.Text.Encoding.UTF8.GetBytes(RareFragments.SpellWritten(text)), scratch, found);
            Assert.Equal(expected.Order(), found.Distinct().Order());
            found.Clear();
            search.FindAll(RareFragments.SpellWritten(text), found);
            Assert.Equal(expected.Order(), found.Distinct().Order());
            matches += expected.Count;
        }
        Assert.True(matches >= 100, $"only {matches} literal occurrences: the test exercises too little");
    }

    /// <summary>Widening for the vectorised search gives each byte its Latin-1 character, ASCII or not, wherever the first non-ASCII byte falls.</summary>
    [Fact]
    public void Widening_gives_each_byte_its_latin1_character()
    {
        var random = new Random(3);
        var scratch = new PlanScratch();
        for (var round = 0; round < 200; round++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            for (var i = 0; i < bytes.Length; i++)
            {
                // Mostly ASCII, as records are, with a non-ASCII byte now and then.
                bytes[i] = random.Next(20) == 0 ? bytes[i] : (byte)(bytes[i] & 0x7F);
            }
            Assert.Equal(System.Text.Encoding.Latin1.GetString(bytes), scratch.Widen(bytes).ToString());
        }
    }
}
