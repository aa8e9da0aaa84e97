// Package webtest drives the resident pages in headless Chromium (Debian's chromium)
// against the local gateway and DynamoDB Local.
package webtest
