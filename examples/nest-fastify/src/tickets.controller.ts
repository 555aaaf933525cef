import { BadRequestException, Body, Controller, Get, NotFoundException, Param, Post } from '@nestjs/common';

type Priority = 'low' | 'normal' | 'high';
const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high'];

interface Ticket {
  readonly id: number;
  readonly title: string;
  readonly priority: Priority;
}

/**
 * A tenant's support tickets, under /t/:slug: the tenant's CORS policy was applied in
 * Fastify's onRequest hook, before routing and body parsing. Kept in memory, per tenant.
 */
@Controller('t/:slug/tickets')
export class TicketsController {
  private readonly tickets = new Map<string, Ticket[]>();

  @Get()
  list(@Param('slug') slug: string): Ticket[] {
    return this.tickets.get(slug) ?? [];
  }

  // POST answers 201 in Nest by default.
  @Post()
  create(@Param('slug') slug: string, @Body() body: { title?: unknown; priority?: unknown }): Ticket {
    if (typeof body?.title !== 'string' || body.title.trim() === '') throw new BadRequestException('title: a non-empty string is required');
    const priority = body.priority ?? 'normal';
    if (!PRIORITIES.includes(priority as Priority)) throw new BadRequestException(`priority: one of ${PRIORITIES.join(', ')}`);
    const tickets = this.tickets.get(slug) ?? [];
    const ticket = { id: tickets.length + 1, title: body.title, priority: priority as Priority };
    this.tickets.set(slug, [...tickets, ticket]);
    return ticket;
  }

  @Get(':id')
  one(@Param('slug') slug: string, @Param('id') id: string): Ticket {
    const ticket = this.tickets.get(slug)?.find((candidate) => String(candidate.id) === id);
    if (!ticket) throw new NotFoundException(`no ticket ${id}`);
    return ticket;
  }
}
