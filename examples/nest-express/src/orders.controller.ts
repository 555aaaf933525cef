import { BadRequestException, Body, Controller, Get, NotFoundException, Param, Post } from '@nestjs/common';

interface Order {
  readonly id: number;
  readonly item: string;
  readonly quantity: number;
}

/**
 * A tenant's API: every route is under /t/:slug, so the CORS layer has applied the tenant's
 * policy before any of these runs. Orders are kept in memory, per tenant.
 */
@Controller('t/:slug/orders')
export class OrdersController {
  private readonly orders = new Map<string, Order[]>();

  @Get()
  list(@Param('slug') slug: string): Order[] {
    return this.orders.get(slug) ?? [];
  }

  // POST answers 201 in Nest by default.
  @Post()
  create(@Param('slug') slug: string, @Body() body: { item?: unknown; quantity?: unknown }): Order {
    if (typeof body?.item !== 'string' || body.item.trim() === '') throw new BadRequestException('item: a non-empty string is required');
    const quantity = body.quantity ?? 1;
    if (!Number.isInteger(quantity) || (quantity as number) < 1) throw new BadRequestException('quantity: a positive integer is required');
    const orders = this.orders.get(slug) ?? [];
    const order = { id: orders.length + 1, item: body.item, quantity: quantity as number };
    this.orders.set(slug, [...orders, order]);
    return order;
  }

  @Get(':id')
  one(@Param('slug') slug: string, @Param('id') id: string): Order {
    const order = this.orders.get(slug)?.find((candidate) => String(candidate.id) === id);
    if (!order) throw new NotFoundException(`no order ${id}`);
    return order;
  }
}
