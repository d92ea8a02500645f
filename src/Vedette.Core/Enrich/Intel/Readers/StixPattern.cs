namespace Vedette.Enrich.Intel.Readers;

/// <summary>
/// One comparison of a STIX pattern ("ipv4-addr:value = '198.51.100.7'"), as written (<see cref="Text"/>) and taken
/// apart. <see cref="InConjunction"/>: the comparison is an operand of an AND (inside one [...] or between [...]) or of
/// a FOLLOWEDBY, so on its own it says less than the pattern does.
/// </summary>
internal sealed record StixComparison(string Path, string Operator, bool Negated, IReadOnlyList<StixToken> Values, string Text)
{
    public bool InConjunction { get; init; }
}

/// <summary>A pattern taken apart: its comparisons, and the parts of the grammar that qualify them (WITHIN, REPEATS, START/STOP, FOLLOWEDBY).</summary>
internal sealed record StixPatternParts(IReadOnlyList<StixComparison> Comparisons, IReadOnlyList<string> Qualifiers);

/// <summary>
/// A recursive-descent parser for the STIX 2.1 patterning grammar. It parses all of it, so that what the store cannot
/// hold can be named in an error instead of failing the whole pattern: choosing what to keep is the reader's job.
/// </summary>
internal sealed class StixPattern
{
    private readonly string _pattern;
    private readonly List<StixToken> _tokens;
    private readonly List<StixComparison> _comparisons = [];
    private readonly List<string> _qualifiers = [];
    private int _next;

    private StixPattern(string pattern)
    {
        _pattern = pattern;
        _tokens = StixPatternLexer.Tokenize(pattern);
    }

    /// <summary>Parses a pattern; throws <see cref="StixPatternException"/> naming the character where it stops following the grammar.</summary>
    public static StixPatternParts Parse(string pattern)
    {
        var parser = new StixPattern(pattern);
        parser.ObservationSequence();
        parser.Expect(StixTokenKind.End, "the end of the pattern");
        return new(parser._comparisons, parser._qualifiers);
    }

    private StixToken Peek => _tokens[_next];

    private bool IsWord(string word) => Peek.Kind == StixTokenKind.Word && Peek.Text == word;

    private StixToken Expect(StixTokenKind kind, string what)
    {
        var token = Peek;
        if (token.Kind != kind)
        {
            throw new StixPatternException($"expected {what}, found '{(token.Kind == StixTokenKind.End ? "end of pattern" : token.Text)}'", token.Start);
        }
        _next++;
        return token;
    }

    private void ExpectWord(string word)
    {
        if (!IsWord(word))
        {
            throw new StixPatternException($"expected {word}", Peek.Start);
        }
        _next++;
    }

    // Observation expressions: FOLLOWEDBY binds loosest, then OR, then AND; inside [...], OR then AND.
    private void ObservationSequence() => Chain("FOLLOWEDBY", ObservationOr, conjunction: true);

    private void ObservationOr() => Chain("OR", ObservationAnd, conjunction: false);

    private void ObservationAnd() => Chain("AND", Observation, conjunction: true);

    private void ComparisonOr() => Chain("OR", ComparisonAnd, conjunction: false);

    private void ComparisonAnd() => Chain("AND", Comparison, conjunction: true);

    /// <summary>operand (keyword operand)*; the comparisons under a conjunction of two or more operands are marked so.</summary>
    private void Chain(string keyword, Action operand, bool conjunction)
    {
        var first = _comparisons.Count;
        operand();
        var operands = 1;
        while (IsWord(keyword))
        {
            if (keyword == "FOLLOWEDBY")
            {
                _qualifiers.Add(keyword);
            }
            _next++;
            operand();
            operands++;
        }
        for (var i = first; conjunction && operands > 1 && i < _comparisons.Count; i++)
        {
            _comparisons[i] = _comparisons[i] with { InConjunction = true };
        }
    }

    private void Observation()
    {
        if (Peek.Kind == StixTokenKind.Open)
        {
            _next++;
            ComparisonOr();
            Expect(StixTokenKind.Close, "']'");
        }
        else
        {
            Expect(StixTokenKind.OpenParen, "'[' or '('");
            ObservationSequence();
            Expect(StixTokenKind.CloseParen, "')'");
        }
        while (Peek.Kind == StixTokenKind.Word && Peek.Text is "WITHIN" or "REPEATS" or "START")
        {
            Qualifier();
        }
    }

    private void Qualifier()
    {
        var start = Peek.Start;
        var word = Peek.Text;
        _next++;
        switch (word)
        {
            case "WITHIN":
                Expect(StixTokenKind.Number, "a number of seconds");
                ExpectWord("SECONDS");
                break;
            case "REPEATS":
                Expect(StixTokenKind.Number, "a count");
                ExpectWord("TIMES");
                break;
            default:
                Expect(StixTokenKind.Typed, "a t'...' timestamp");
                ExpectWord("STOP");
                Expect(StixTokenKind.Typed, "a t'...' timestamp");
                break;
        }
        _qualifiers.Add(_pattern[start.._tokens[_next - 1].End]);
    }

    private void Comparison()
    {
        if (Peek.Kind == StixTokenKind.OpenParen)
        {
            _next++;
            ComparisonOr();
            Expect(StixTokenKind.CloseParen, "')'");
            return;
        }
        var start = Peek.Start;
        if (IsWord("EXISTS"))
        {
            _next++;
            var tested = Expect(StixTokenKind.Path, "an object path");
            _comparisons.Add(new(tested.Text, "EXISTS", false, [], _pattern[start..tested.End]));
            return;
        }
        var path = Expect(StixTokenKind.Path, "an object path");
        var negated = IsWord("NOT");
        if (negated)
        {
            _next++;
        }
        var op = Peek;
        if (op.Kind != StixTokenKind.Operator && !(op.Kind == StixTokenKind.Word && op.Text is "IN" or "LIKE" or "MATCHES" or "ISSUBSET" or "ISSUPERSET"))
        {
            throw new StixPatternException($"expected a comparison operator after {path.Text}", op.Start);
        }
        _next++;
        var values = op.Text == "IN" ? ValueList() : [Value()];
        _comparisons.Add(new(path.Text, op.Text, negated, values, _pattern[start.._tokens[_next - 1].End]));
    }

    private List<StixToken> ValueList()
    {
        Expect(StixTokenKind.OpenParen, "'(' after IN");
        List<StixToken> values = [Value()];
        while (Peek.Kind == StixTokenKind.Comma)
        {
            _next++;
            values.Add(Value());
        }
        Expect(StixTokenKind.CloseParen, "')'");
        return values;
    }

    private StixToken Value()
    {
        var token = Peek;
        if (token.Kind is not (StixTokenKind.String or StixTokenKind.Number or StixTokenKind.Boolean or StixTokenKind.Typed))
        {
            throw new StixPatternException("expected a value", token.Start);
        }
        _next++;
        return token;
    }
}
