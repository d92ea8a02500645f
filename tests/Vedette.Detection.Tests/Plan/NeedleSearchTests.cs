using Vedette.Detection.Plan;

namespace Vedette.Tests.Plan;

/// <summary>The multi-literal search must find exactly the literals a case-insensitive Contains finds, at every size of literal set.</summary>
public sealed class NeedleSearchTests
{
    private const string Alphabet = @"abcCS\.:/ -_xyz€0";

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(400)]
    [InlineData(3000)]
    public void Finds_exactly_the_literals_a_case_insensitive_contains_finds(int needleCount)
    {
        var random = new Random(needleCount);
        string Text(int length) => new([.. Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        // Short literals over a small alphabet overlap, nest and share prefixes and suffixes: the failure links' business.
        var needles = Enumerable.Range(0, needleCount).Select(_ => Text(random.Next(3, 9)).ToLowerInvariant()).Distinct().ToList();
        var search = new NeedleSearch(needles);
        var found = new List<int>();
        var matches = 0;
        for (var round = 0; round < 300; round++)
        {
            var text = Text(random.Next(0, 200));
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
}
