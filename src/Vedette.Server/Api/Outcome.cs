using Microsoft.AspNetCore.Http;

namespace Vedette.Server.Api;

/// <summary>Why an administrative action changed nothing, as the HTTP status the API answers and a sentence for the person.</summary>
internal sealed record Refusal(int Status, string Detail)
{
    public static Refusal BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);

    public static Refusal Forbidden(string detail) => new(StatusCodes.Status403Forbidden, detail);

    public static Refusal NotFound(string detail) => new(StatusCodes.Status404NotFound, detail);

    public static Refusal Conflict(string detail) => new(StatusCodes.Status409Conflict, detail);

    /// <summary>The refusal as the API's problem details.</summary>
    public IResult ToProblem() => Status switch
    {
        StatusCodes.Status403Forbidden => ApiResults.Problem(Status, "Not allowed", Detail),
        StatusCodes.Status404NotFound => ApiResults.NotFound(Detail),
        StatusCodes.Status409Conflict => ApiResults.Conflict(Detail),
        _ => ApiResults.BadRequest(Detail),
    };
}

/// <summary>
/// What an administrative action (users, tokens, suppressions, rules) came to: its result, or the refusal. The API and
/// the console run the same action and differ only in how they show the outcome.
/// </summary>
internal sealed class Outcome<T>
    where T : class
{
    private Outcome(T? value, Refusal? refusal)
    {
        Value = value;
        Refused = refusal;
    }

    /// <summary>The result; null when refused.</summary>
    public T? Value { get; }

    public Refusal? Refused { get; }

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(null, refusal);

    /// <summary>The API's answer: <paramref name="done"/> for the result, problem details for a refusal.</summary>
    public IResult Answer(Func<T, IResult> done) => Value is { } value ? done(value) : Refused!.ToProblem();
}
