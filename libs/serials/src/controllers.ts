import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CheckinService } from './checkin.service.js';
import { CreateSubscriptionDto, IssueQueryDto, NoteDto, PredictDto, ReceiveDto, SubscriptionQueryDto, UnpredictedDto, UpdateSubscriptionDto } from './dto.js';
import { SubscriptionsService, previewIssues } from './subscriptions.service.js';

@ApiTags('serials')
@ApiBearerAuth()
@Controller('api/v1/serials/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService, private readonly checkin: CheckinService) {}

  @Get() @ApiOperation({ summary: 'Subscriptions with their patterns' })
  list(@Query() q: SubscriptionQueryDto) {
    return this.subscriptions.list({ active: q.active, vendorCode: q.vendor, branchCode: q.branch, q: q.q, skip: q.skip, take: q.take });
  }
  @Get(':id') @ApiOperation({ summary: 'One subscription, its patterns and how many issues are in each status' })
  get(@Param('id', ParseIntPipe) id: number) {
    return this.subscriptions.get(id);
  }
  @Post() @ApiOperation({ summary: 'Add a subscription; its patterns are checked by a trial prediction and its issues expected to the horizon' })
  create(@Body() body: CreateSubscriptionDto) {
    return this.subscriptions.create(body, this.subscriptions.today());
  }
  @Patch(':id') @ApiOperation({ summary: 'Change a subscription or its patterns (a changed pattern re-predicts the issues not yet received)' })
  update(@Param('id', ParseIntPipe) id: number, @Body() body: UpdateSubscriptionDto) {
    return this.subscriptions.update(id, body, this.subscriptions.today());
  }
  @Get(':id/issues') @ApiOperation({ summary: 'The subscription\'s issues by publication date' })
  issues(@Param('id', ParseIntPipe) id: number, @Query() q: IssueQueryDto) {
    return this.subscriptions.issues(id, q);
  }
  @Post(':id/issues') @ApiOperation({ summary: 'Check in an issue that was not predicted (values given)' })
  unpredicted(@Param('id', ParseIntPipe) id: number, @Body() body: UnpredictedDto) {
    return this.checkin.receiveUnpredicted(id, body, new Date());
  }
  @Post(':id/predict') @HttpCode(200) @ApiOperation({ summary: 'Expect the subscription\'s issues to the horizon now (the nightly job does this for all)' })
  predict(@Param('id', ParseIntPipe) id: number) {
    return this.subscriptions.predict(id, this.subscriptions.today());
  }
}

@ApiTags('serials')
@ApiBearerAuth()
@Controller('api/v1/serials/issues')
export class IssuesController {
  constructor(private readonly checkin: CheckinService) {}

  @Get(':id') @ApiOperation({ summary: 'One issue with its claims' })
  get(@Param('id', ParseIntPipe) id: number) {
    return this.checkin.get(id);
  }
  @Post(':id/receive') @HttpCode(200) @ApiOperation({ summary: 'Check in an expected or late issue (with `combine`, others that came bound in it; with `item`, make its item)' })
  receive(@Param('id', ParseIntPipe) id: number, @Body() body: ReceiveDto) {
    return this.checkin.receive(id, body, new Date());
  }
  @Post(':id/not-published') @HttpCode(200) @ApiOperation({ summary: 'The publisher did not publish this issue' })
  notPublished(@Param('id', ParseIntPipe) id: number, @Body() body: NoteDto) {
    return this.checkin.markNotPublished(id, body, new Date());
  }
  @Post(':id/undo') @HttpCode(200) @ApiOperation({ summary: 'Undo a check-in or a not-published mark (the item it made is removed if it never circulated)' })
  undo(@Param('id', ParseIntPipe) id: number) {
    return this.checkin.undo(id, new Date());
  }
}

@ApiTags('serials')
@ApiBearerAuth()
@Controller('api/v1/serials/predict')
export class PredictController {
  @Post() @HttpCode(200) @ApiOperation({ summary: 'Preview: the issues after `last` under a pattern (nothing is stored)' })
  predict(@Body() body: PredictDto) {
    return { issues: previewIssues(body.pattern, body.last, { count: body.count, until: body.until }) };
  }
}
