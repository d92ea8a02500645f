using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Vedette.Server.Api;

/// <summary>
/// Answers written with Utf8JsonWriter: alerts and incidents keep the one shape <c>DomainJson</c> gives them in the
/// store and the CLI, and no reflection runs over domain objects. Failures are RFC 9457 problem details.
/// </summary>
internal static class ApiResults
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    public static IResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK) => new JsonWriterResult(status, write);

    public static IResult Problem(int status, string title, string detail, Action<Utf8JsonWriter>? extensions = null) =>
        new ProblemResult(status, title, detail, extensions);

    public static IResult NotFound(string what) => Problem(StatusCodes.Status404NotFound, "Not found", what);

    public static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static IResult Conflict(string detail, int? currentVersion = null) =>
        Problem(StatusCodes.Status409Conflict, "Conflict", detail, currentVersion is { } version ? w => w.WriteNumber("currentVersion", version) : null);

    public static Task WriteProblemAsync(HttpContext context, int status, string title, string detail, Action<Utf8JsonWriter>? extensions = null) =>
        new ProblemResult(status, title, detail, extensions).ExecuteAsync(context);

    /// <summary>{"items": [...], "next": cursor-or-null}: every listing pages the same way.</summary>
    public static IResult Page<T>(IReadOnlyList<T> items, string? next, Action<Utf8JsonWriter, T> writeItem) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("items");
        foreach (var item in items)
        {
            writeItem(writer, item);
        }
        writer.WriteEndArray();
        writer.WriteString("next", next);
        writer.WriteEndObject();
    });

    private static async Task WriteAsync(HttpContext context, int status, string contentType, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private sealed class JsonWriterResult(int status, Action<Utf8JsonWriter> write) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, status, "application/json; charset=utf-8", write);
    }

    private sealed class ProblemResult(int status, string title, string detail, Action<Utf8JsonWriter>? extensions) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, status, "application/problem+json; charset=utf-8", writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "about:blank");
            writer.WriteString("title", title);
            writer.WriteNumber("status", status);
            writer.WriteString("detail", detail);
            writer.WriteString("instance", httpContext.Request.Path.Value);
            extensions?.Invoke(writer);
            writer.WriteEndObject();
        });
    }
}
