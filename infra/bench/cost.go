package main

import "time"

// List prices, US East (N. Virginia), as published on the pages named; the figures were
// taken on 2025-01-15 (after DynamoDB's on-demand price cut of 2024-11-01) and were not
// re-checked online from the benchmark's machine. Free tiers are left out.
const (
	// API Gateway HTTP API, first 300 million requests a month (requests up to 512 KB):
	// $1.00 per million. https://aws.amazon.com/api-gateway/pricing/
	priceHTTPAPIRequest = 1.00 / 1e6
	// Lambda, Arm (Graviton2), first 7.5 billion GB-s a month: $0.0000133334 per GB-s;
	// requests $0.20 per million. https://aws.amazon.com/lambda/pricing/
	priceLambdaArmGBSecond = 0.0000133334
	priceLambdaRequest     = 0.20 / 1e6
	// DynamoDB on-demand, Standard table class: $0.625 per million write request units,
	// $0.125 per million read request units. https://aws.amazon.com/dynamodb/pricing/on-demand/
	priceDynamoWRU = 0.625 / 1e6
	priceDynamoRRU = 0.125 / 1e6
	// DynamoDB Streams: GetRecords calls made by Lambda for a DynamoDB trigger are free
	// (other readers pay $0.02 per 100,000 stream read request units, same page), and
	// Lambda's event filtering has no charge of its own: the stream costs nothing here.
	priceStreamReadByLambda = 0.0
	// CloudFront is left out: the pages and the two cached lists are served from it,
	// within its always-free tier (10 million requests, 1 TB a month) at a commune's
	// scale; beyond it, $0.0100 per 10,000 HTTPS requests in North America.
)

// lambdaMemoryGB is the memory of PublicApiFunction and AggregatorFunction: the
// template's Globals MemorySize (256 MB), which neither overrides.
const lambdaMemoryGB = 256.0 / 1024

// costLine is one row of the cost table, per 100,000 attempts.
type costLine struct {
	Item     string  `json:"item"`
	Quantity float64 `json:"quantityPer100k"`
	Unit     string  `json:"unit"`
	Dollars  float64 `json:"dollarsPer100k"`
}

// costs prices the measured figures per 100,000 attempts. Lambda's billed duration is
// taken as the time the local gateway and aggregator spent answering, rounded up per
// invocation to the millisecond as Lambda bills; DynamoDB Local answers more slowly
// than DynamoDB on a shared machine, so this overstates it.
func costs(perAttempt figures) []costLine {
	const n = 100_000
	gbs := func(invocations float64, busy time.Duration) float64 {
		if invocations == 0 {
			return 0
		}
		ms := float64(busy) / float64(time.Millisecond) / invocations
		return invocations * float64(int(ms)+1) / 1000 * lambdaMemoryGB
	}
	apiGBs := gbs(perAttempt.APIRequests*n, perAttempt.APIBusy*n)
	aggGBs := gbs(perAttempt.StreamInvocations*n, perAttempt.AggBusy*n)
	lines := []costLine{
		{"API Gateway HTTP API requests", perAttempt.APIRequests * n, "requests", perAttempt.APIRequests * n * priceHTTPAPIRequest},
		{"Lambda requests (API + stream batches)", (perAttempt.APIRequests + perAttempt.StreamInvocations) * n, "invocations",
			(perAttempt.APIRequests + perAttempt.StreamInvocations) * n * priceLambdaRequest},
		{"Lambda duration, API (arm64, 256 MB)", apiGBs, "GB-s", apiGBs * priceLambdaArmGBSecond},
		{"Lambda duration, aggregator (arm64, 256 MB)", aggGBs, "GB-s", aggGBs * priceLambdaArmGBSecond},
		{"DynamoDB write request units (all-in)", perAttempt.WriteUnits * n, "WRU", perAttempt.WriteUnits * n * priceDynamoWRU},
		{"DynamoDB read request units (GetItem)", perAttempt.ReadUnits * n, "RRU", perAttempt.ReadUnits * n * priceDynamoRRU},
		{"DynamoDB Streams reads by the Lambda trigger", 0, "free", priceStreamReadByLambda},
	}
	for i := range lines {
		lines[i].Quantity, lines[i].Dollars = round(lines[i].Quantity, 1), round(lines[i].Dollars, 4)
	}
	return lines
}

// figures are the per-attempt quantities that cost money.
type figures struct {
	WriteUnits, ReadUnits          float64
	APIRequests, StreamInvocations float64
	APIBusy, AggBusy               time.Duration // per attempt
}

func total(lines []costLine) float64 {
	var t float64
	for _, l := range lines {
		t += l.Dollars
	}
	return round(t, 2)
}
