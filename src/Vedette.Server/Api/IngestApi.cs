using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Server.Ingest;

namespace Vedette.Server.Api;

/// <summary>POST /api/v1/events and the alert intakes: lines into the pipeline, 202 once what they raised is durable.</summary>
internal static class IngestApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        // No Accepts metadata: it would make routing answer 415 to a wrong content type before authorization runs.
        routes.MapApi("POST", "/api/v1/events", EventsAsync)
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        routes.MapApi("POST", "/api/v1/alerts", (HttpContext context, EventIntake intake, ServerOptions options) =>
            AlertsAsync(context, intake, options, WebhookAlerts.FromVedette));
        routes.MapApi("POST", "/api/v1/alerts/elastic", (HttpContext context, EventIntake intake, ServerOptions options) =>
            AlertsAsync(context, intake, options, WebhookAlerts.FromElastic));
        routes.MapApi("POST", "/api/v1/alerts/wazuh", (HttpContext context, EventIntake intake, ServerOptions options) =>
            AlertsAsync(context, intake, options, WebhookAlerts.FromWazuh));
    }

    private static async Task<IResult> EventsAsync(HttpContext context, EventIntake intake, ServerOptions options)
    {
        Stream body;
        try
        {
            body = RequestBody.Open(context.Request, options.MaxRequestBytes);
        }
        catch (UnsupportedEncodingException ex)
        {
            return ApiResults.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported encoding", ex.Message);
        }
        await using (body)
        {
            return await RunAsync(context, options, () => intake.AcceptAsync(body, context.Request.ContentLength ?? 0, context.RequestAborted));
        }
    }

    /// <summary>
    /// Alerts arrive as one JSON object or an array of them (an Elastic webhook may also wrap them in {"alerts": [...]});
    /// each becomes one line in Vedette's alert shape, numbered from 1 in the order sent.
    /// </summary>
    private static async Task<IResult> AlertsAsync(HttpContext context, EventIntake intake, ServerOptions options, Func<JsonElement, byte[]> map)
    {
        JsonDocument document;
        try
        {
            await using var body = RequestBody.Open(context.Request, options.MaxRequestBytes);
            document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = 64 }, context.RequestAborted);
        }
        catch (UnsupportedEncodingException ex)
        {
            return ApiResults.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported encoding", ex.Message);
        }
        catch (BodyTooLargeException ex)
        {
            return TooLarge(ex.Limit);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return ApiResults.BadRequest($"the body is not JSON: {ex.Message}");
        }
        using (document)
        {
            var lines = new MemoryStream();
            var problems = new List<LineError>();
            var number = 0;
            foreach (var item in WebhookAlerts.Items(document.RootElement))
            {
                number++;
                try
                {
                    lines.Write(map(item));
                }
                catch (FormatException ex)
                {
                    problems.Add(new LineError(number, "map", ex.Message));
                    // Keeps the numbering: an empty line is skipped by the reader, and the next alert is the next line.
                }
                lines.WriteByte((byte)'\n');
            }
            lines.Position = 0;
            return await RunAsync(context, options, async () =>
            {
                var result = await intake.AcceptAsync(lines, lines.Length, context.RequestAborted);
                return problems.Count == 0 ? result : result with
                {
                    Lines = result.Lines + problems.Count,
                    Rejected = result.Rejected + problems.Count,
                    ErrorCount = result.ErrorCount + problems.Count,
                    Errors = [.. problems.Concat(result.Errors).OrderBy(e => e.Line)],
                };
            });
        }
    }

    private static async Task<IResult> RunAsync(HttpContext context, ServerOptions options, Func<Task<IntakeResult>> accept)
    {
        IntakeResult result;
        try
        {
            result = await accept();
        }
        catch (BodyTooLargeException ex)
        {
            return TooLarge(ex.Limit);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(options.MaxRequestBytes);
        }
        catch (InvalidDataException ex)
        {
            return ApiResults.BadRequest($"the body could not be decoded: {ex.Message}");
        }
        switch (result.Outcome)
        {
            case IntakeOutcome.Busy:
                context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ApiResults.Problem(StatusCodes.Status429TooManyRequests, "Pipeline full",
                    $"The pipeline holds as much as it may; nothing of this request was taken. Retry after {options.RetryAfterSeconds} s.");
            case IntakeOutcome.Closed:
                context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, "Shutting down", "The server is stopping; nothing of this request was taken.");
            case IntakeOutcome.NotStored:
                return ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, "Not stored",
                    $"The lines were read but the store refused to write what they raised ({result.Failure}); nothing is durable: retry.",
                    writer => WriteCounts(writer, result));
        }
        return ApiResults.Json(writer =>
        {
            writer.WriteStartObject();
            WriteCounts(writer, result);
            writer.WriteEndObject();
        }, StatusCodes.Status202Accepted);
    }

    private static void WriteCounts(Utf8JsonWriter writer, IntakeResult result)
    {
        writer.WriteString("id", result.Id);
        writer.WriteNumber("lines", result.Lines);
        writer.WriteNumber("accepted", result.Accepted);
        writer.WriteNumber("rejected", result.Rejected);
        writer.WriteNumber("errorCount", result.ErrorCount);
        writer.WriteStartArray("errors");
        foreach (var error in result.Errors)
        {
            writer.WriteStartObject();
            writer.WriteNumber("line", error.Line);
            writer.WriteString("stage", error.Stage);
            writer.WriteString("error", error.Message);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteBoolean("errorsTruncated", result.ErrorCount > result.Errors.Count);
    }

    private static IResult TooLarge(long limit) =>
        ApiResults.Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"A request may carry at most {limit} bytes (after decoding); split it.");
}
