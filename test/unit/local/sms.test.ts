import { describe, expect, it } from 'vitest';
import { createSmsOutbox } from '#local/outbox/sms-outbox';
import { inboundSmsPayload, SimulatedInboundSms } from '#local/sms/inbound-sms-route';
import { answerSmsPublish, readSmsPublish } from '#local/sms/sns-sms-proxy';

/** A request body as @aws-sdk/client-sns (AWS query protocol) serializes PublishCommand. */
const publishBody = (parameters: Record<string, string>, attributes: Record<string, string> = {}) => {
  const form = new URLSearchParams({ Action: 'Publish', Version: '2010-03-31', ...parameters });
  Object.entries(attributes).forEach(([name, value], index) => {
    form.set(`MessageAttributes.entry.${index + 1}.Name`, name);
    form.set(`MessageAttributes.entry.${index + 1}.Value.DataType`, 'String');
    form.set(`MessageAttributes.entry.${index + 1}.Value.StringValue`, value);
  });
  return form.toString();
};
const read = (parameters: Record<string, string>, attributes?: Record<string, string>) =>
  readSmsPublish(new URLSearchParams(publishBody(parameters, attributes)));

describe('the SNS proxy (a Publish to a phone number, locally)', () => {
  it('reads the number, the text and the SMS attributes of a Publish to a phone number', () => {
    // GIVEN the body the SDK sends, captured from @aws-sdk/client-sns
    const body =
      'Action=Publish&Version=2010-03-31&Message=Hi%20%26%20there%20%3D%209%2F10%20%E2%98%BA&PhoneNumber=%2B15555550123' +
      '&MessageAttributes.entry.1.Name=AWS.SNS.SMS.SMSType&MessageAttributes.entry.1.Value.DataType=String' +
      '&MessageAttributes.entry.1.Value.StringValue=Transactional&MessageAttributes.entry.2.Name=AWS.MM.SMS.OriginationNumber' +
      '&MessageAttributes.entry.2.Value.DataType=String&MessageAttributes.entry.2.Value.StringValue=%2B18005550100';
    // WHEN / THEN
    expect(readSmsPublish(new URLSearchParams(body))).toEqual({
      kind: 'sms',
      sms: { to: '+15555550123', body: 'Hi & there = 9/10 ☺', smsType: 'Transactional', originationNumber: '+18005550100' },
    });
  });

  it('leaves out the attributes the sender did not set', () => {
    expect(read({ PhoneNumber: '+447700900123', Message: 'Hi' })).toEqual({ kind: 'sms', sms: { to: '+447700900123', body: 'Hi' } });
  });

  it.each([
    ['a topic Publish', { TopicArn: 'arn:aws:sns:us-east-1:000000000000:alerts', Message: 'x' }],
    ['another action', { Action: 'Subscribe', TopicArn: 'arn:aws:sns:us-east-1:000000000000:alerts' }],
  ])('leaves %s to fauxqs', (_, parameters) => {
    expect(read(parameters)).toBeUndefined();
  });

  it("texts the `sms` entry of a JSON message structure, else its `default`", () => {
    const structured = (message: object) => read({ PhoneNumber: '+15555550123', MessageStructure: 'json', Message: JSON.stringify(message) });
    expect(structured({ default: 'Hello', sms: 'Hi' })).toMatchObject({ sms: { body: 'Hi' } });
    expect(structured({ default: 'Hello' })).toMatchObject({ sms: { body: 'Hello' } });
    expect(structured({ sms: 'Hi' })).toEqual({ kind: 'invalid', message: expect.stringMatching(/^Invalid parameter: Message Structure/) });
  });

  it.each([
    ['a number without its country code', { PhoneNumber: '5555550123', Message: 'Hi' }, /PhoneNumber/],
    ['a number with spaces', { PhoneNumber: '+1 555 555 0123', Message: 'Hi' }, /PhoneNumber/],
    ['an empty number', { PhoneNumber: '', Message: 'Hi' }, /PhoneNumber/],
    ['a number and a topic', { PhoneNumber: '+15555550123', TopicArn: 'arn:aws:sns:us-east-1:000000000000:alerts', Message: 'Hi' }, /PhoneNumber/],
    ['an empty message', { PhoneNumber: '+15555550123', Message: '' }, /Empty message/],
  ])('refuses %s as SNS does', (_, parameters, reason) => {
    expect(read(parameters)).toEqual({ kind: 'invalid', message: expect.stringMatching(reason) });
  });

  it('refuses an SMS type SNS does not know', () => {
    expect(read({ PhoneNumber: '+15555550123', Message: 'Hi' }, { 'AWS.SNS.SMS.SMSType': 'Urgent' })).toEqual({
      kind: 'invalid',
      message: expect.stringMatching(/AWS\.SNS\.SMS\.SMSType/),
    });
  });

  it('never repeats the number or the text in an error message', () => {
    const answer = answerSmsPublish(publishBody({ PhoneNumber: '+1555', Message: 'my secret' }), createSmsOutbox());
    expect(answer?.body).not.toMatch(/1555|secret/);
  });

  it('answers a Publish to a phone number with the XML SNS returns, and records the SMS under its MessageId', () => {
    // GIVEN
    const outbox = createSmsOutbox();
    const now = new Date('2026-03-01T10:00:00.000Z');
    // WHEN
    const answer = answerSmsPublish(publishBody({ PhoneNumber: '+15555550123', Message: '9' }, { 'AWS.SNS.SMS.SMSType': 'Transactional' }), outbox, now);
    // THEN
    expect(answer).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': expect.any(String) } });
    const messageId = /<PublishResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><PublishResult><MessageId>([0-9a-f-]{36})<\/MessageId><\/PublishResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/PublishResponse>/.exec(
      answer?.body ?? '',
    )?.[1];
    expect(messageId).toBeDefined();
    expect(outbox.items()).toEqual([{ to: '+15555550123', body: '9', smsType: 'Transactional', messageId, at: '2026-03-01T10:00:00.000Z' }]);
  });

  it('answers a bad Publish with the InvalidParameter error the SDK turns into InvalidParameterException, and records nothing', () => {
    // GIVEN
    const outbox = createSmsOutbox();
    // WHEN
    const answer = answerSmsPublish(publishBody({ PhoneNumber: 'nobody', Message: 'Hi' }), outbox);
    // THEN
    expect(answer).toMatchObject({ statusCode: 400, headers: { 'content-type': 'text/xml' } });
    expect(answer?.body).toMatch(
      /^<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>InvalidParameter<\/Code><Message>Invalid parameter: PhoneNumber Reason: [^<]+<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
    expect(outbox.items()).toEqual([]);
  });

  it('lets everything else through (no answer of its own)', () => {
    expect(answerSmsPublish(publishBody({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:alerts', Message: 'x' }), createSmsOutbox())).toBeUndefined();
  });
});

describe('simulated inbound SMS (POST /local/sms/inbound)', () => {
  const context = { destinationNumber: '+18005550100', accountId: '000000000000' };
  const simulated = (input: unknown) => SimulatedInboundSms.parse(input);

  it('publishes the JSON two-way SMS publishes, to the configured number', () => {
    const payload = inboundSmsPayload(simulated({ from: '+15555550123', body: '9', messageId: 'in-1' }), context);
    expect(payload).toEqual({
      originationNumber: '+15555550123',
      destinationNumber: '+18005550100',
      messageKeyword: 'KEYWORD_000000000000',
      messageBody: '9',
      inboundMessageId: 'in-1',
      previousPublishedMessageId: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(Object.keys(payload)).toEqual([
      'originationNumber',
      'destinationNumber',
      'messageKeyword',
      'messageBody',
      'inboundMessageId',
      'previousPublishedMessageId',
    ]);
  });

  it('texts the number given in `to`, and gives each message a fresh id unless one is given', () => {
    const first = inboundSmsPayload(simulated({ from: '+15555550123', body: 'nine', to: '+15555550199' }), context);
    const second = inboundSmsPayload(simulated({ from: '+15555550123', body: 'nine', to: '+15555550199' }), context);
    expect(first.destinationNumber).toBe('+15555550199');
    expect(first.inboundMessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.inboundMessageId).not.toBe(first.inboundMessageId);
  });

  it.each([
    ['STOP', 'STOP'],
    ['  stop please', 'STOP'],
    ['Help', 'HELP'],
    ['unsubscribe', 'UNSUBSCRIBE'],
    ['СТОП', 'KEYWORD_000000000000'],
    ['9 stop', 'KEYWORD_000000000000'],
  ])('names the keyword %j begins with, as a long code with the default keywords does', (body, keyword) => {
    expect(inboundSmsPayload(simulated({ from: '+15555550123', body }), context).messageKeyword).toBe(keyword);
  });

  it.each([
    ['no sender', { body: '9' }],
    ['a sender that is not E.164', { from: '5555550123', body: '9' }],
    ['no text', { from: '+15555550123' }],
    ['empty text', { from: '+15555550123', body: '' }],
    ['a bad `to`', { from: '+15555550123', body: '9', to: 'me' }],
    ['an empty messageId', { from: '+15555550123', body: '9', messageId: '' }],
    ['extra fields', { from: '+15555550123', body: '9', keyword: 'X' }],
  ])('refuses %s', (_, input) => {
    expect(SimulatedInboundSms.safeParse(input).success).toBe(false);
  });
});
