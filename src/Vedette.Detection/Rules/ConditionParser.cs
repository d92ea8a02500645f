using System.Text.RegularExpressions;
using Vedette.Detection.Matching;

namespace Vedette.Detection.Rules;

/// <summary>
/// Parses a Sigma condition (and, or, not, parentheses, "1 of X*", "all of X*", "1 of them", "all of them") over
/// already compiled search identifiers into one predicate. Precedence: not, then and, then or.
/// </summary>
internal sealed class ConditionParser
{
    private readonly IReadOnlyDictionary<string, IEventPredicate> _searches;
    private readonly List<string> _tokens;
    private readonly int _line;
    private int _position;

    private ConditionParser(string condition, IReadOnlyDictionary<string, IEventPredicate> searches, int line)
    {
        _searches = searches;
        _line = line;
        _tokens = Tokenize(condition);
    }

    public static IEventPredicate Parse(string condition, IReadOnlyDictionary<string, IEventPredicate> searches, int line)
    {
        var parser = new ConditionParser(condition, searches, line);
        if (parser._tokens.Count == 0)
        {
            throw new RuleFormatException(line, "the condition is empty");
        }
        var result = parser.ParseOr();
        if (parser._position < parser._tokens.Count)
        {
            throw new RuleFormatException(line, $"unexpected '{parser._tokens[parser._position]}' in condition '{condition}'");
        }
        return result;
    }

    private IEventPredicate ParseOr()
    {
        var parts = new List<IEventPredicate> { ParseAnd() };
        while (Accept("or"))
        {
            parts.Add(ParseAnd());
        }
        return parts.Count == 1 ? parts[0] : new OrPredicate([.. parts]);
    }

    private IEventPredicate ParseAnd()
    {
        var parts = new List<IEventPredicate> { ParseNot() };
        while (Accept("and"))
        {
            parts.Add(ParseNot());
        }
        return parts.Count == 1 ? parts[0] : new AndPredicate([.. parts]);
    }

    private IEventPredicate ParseNot() => Accept("not") ? new NotPredicate(ParseNot()) : ParsePrimary();

    private IEventPredicate ParsePrimary()
    {
        var token = Next("a search identifier, 'not', '(' or 'N of'");
        if (token == "(")
        {
            var inner = ParseOr();
            if (!Accept(")"))
            {
                throw new RuleFormatException(_line, "missing ')' in condition");
            }
            return inner;
        }
        if (_position < _tokens.Count && string.Equals(_tokens[_position], "of", StringComparison.OrdinalIgnoreCase))
        {
            _position++;
            return Quantified(token, Next("an identifier pattern or 'them' after 'of'"));
        }
        if (token is ")" || IsKeyword(token))
        {
            throw new RuleFormatException(_line, $"unexpected '{token}' in condition");
        }
        return _searches.TryGetValue(token, out var search)
            ? search
            : throw new RuleFormatException(_line, $"the condition names '{token}', which is not a search identifier of this rule");
    }

    private IEventPredicate Quantified(string quantifier, string pattern)
    {
        IEventPredicate[] matched;
        if (string.Equals(pattern, "them", StringComparison.OrdinalIgnoreCase))
        {
            // "them" leaves out identifiers starting with an underscore, as the specification says.
            matched = [.. _searches.Where(s => !s.Key.StartsWith('_')).Select(s => s.Value)];
        }
        else
        {
            var regex = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
            matched = [.. _searches.Where(s => regex.IsMatch(s.Key)).Select(s => s.Value)];
        }
        if (matched.Length == 0)
        {
            throw new RuleFormatException(_line, $"'{quantifier} of {pattern}' matches no search identifier");
        }
        if (quantifier == "1" || string.Equals(quantifier, "any", StringComparison.OrdinalIgnoreCase))
        {
            return matched.Length == 1 ? matched[0] : new OrPredicate(matched);
        }
        if (string.Equals(quantifier, "all", StringComparison.OrdinalIgnoreCase))
        {
            return matched.Length == 1 ? matched[0] : new AndPredicate(matched);
        }
        throw new RuleFormatException(_line, $"'{quantifier} of' is not supported: use '1 of' or 'all of'");
    }

    private bool Accept(string keyword)
    {
        if (_position < _tokens.Count && string.Equals(_tokens[_position], keyword, StringComparison.OrdinalIgnoreCase))
        {
            _position++;
            return true;
        }
        return false;
    }

    private string Next(string expected) =>
        _position < _tokens.Count ? _tokens[_position++] : throw new RuleFormatException(_line, $"the condition ends where {expected} was expected");

    private static bool IsKeyword(string token) =>
        token.Equals("and", StringComparison.OrdinalIgnoreCase) || token.Equals("or", StringComparison.OrdinalIgnoreCase)
        || token.Equals("not", StringComparison.OrdinalIgnoreCase) || token.Equals("of", StringComparison.OrdinalIgnoreCase);

    private static List<string> Tokenize(string condition)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= condition.Length; i++)
        {
            var c = i < condition.Length ? condition[i] : ' ';
            if (char.IsWhiteSpace(c) || c is '(' or ')')
            {
                if (start >= 0)
                {
                    tokens.Add(condition[start..i]);
                    start = -1;
                }
                if (c is '(' or ')')
                {
                    tokens.Add(c.ToString());
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }
        return tokens;
    }
}
