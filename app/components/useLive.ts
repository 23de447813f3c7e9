'use client'

import { useCallback, useEffect, useRef, useState } from 'react'
import { io, type Socket } from 'socket.io-client'
import { roomName, SERVER_RESTARTING, socketEvents, type FlagEvent, type Heartbeat, type RoomUpdate, type SubscribeAck, type ThemeId } from '../../dashboards/types'
import { applyHeartbeat, applyUpdate, fromSnapshot, type RoomState } from '../lib/roomState'

/**
 * The page's one Socket.IO connection (same origin) and its room subscription.
 * Token: `?token=` of a wall screen, else the session cookie the browser sends by itself.
 * 'live' means connected AND holding a snapshot taken after the last (re)connect: the wall-wide
 * banner shows for anything else once we have been live, so a drop is visible at once.
 */
export type Connection = 'connecting' | 'live' | 'disconnected' | 'refused'

export function useSocket(token: string | undefined): Socket | null {
  const [socket, setSocket] = useState<Socket | null>(null)
  useEffect(() => {
    const s = io({ auth: token ? { token } : {}, transports: ['websocket', 'polling'], reconnectionDelayMax: 5000 })
    // the server ended the session (e.g. restart): socket.io does not retry that case by itself
    s.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') setTimeout(() => s.connect(), 2000)
    })
    setSocket(s)
    return () => {
      s.removeAllListeners()
      s.disconnect()
    }
  }, [token])
  return socket
}

export interface LiveRoom {
  connection: Connection
  room: RoomState | null
  error: string | null
}

export function useLiveRoom(socket: Socket | null, dashboard: ThemeId, region: string): LiveRoom {
  const [room, setRoom] = useState<RoomState | null>(null)
  const [connection, setConnection] = useState<Connection>('connecting')
  const [error, setError] = useState<string | null>(null)
  const roomRef = useRef<RoomState | null>(null)
  const name = roomName(dashboard, region)

  const store = useCallback((next: RoomState | null) => {
    roomRef.current = next
    setRoom(next)
  }, [])

  useEffect(() => {
    if (!socket) return
    let active = true
    // a different theme or region: drop the old numbers rather than show them under a new title
    if (roomRef.current && roomRef.current.room !== name) store(null)

    const subscribe = () => {
      socket.emit(socketEvents.subscribe, { dashboard, region }, (ack: SubscribeAck) => {
        if (!active) return
        if (!ack || !ack.ok) {
          setError(ack?.error ?? '订阅失败')
          setConnection(socket.connected ? 'refused' : 'disconnected')
          return
        }
        if (ack.room !== name) return
        setError(null)
        store(fromSnapshot(ack, Date.now()))
        setConnection('live')
      })
    }
    const onUpdate = (update: RoomUpdate) => {
      const current = roomRef.current
      if (!current || update.room !== name) return
      const result = applyUpdate(current, update, Date.now())
      if (result.kind === 'applied') store(result.state)
      else if (result.kind === 'gap') subscribe()
    }
    const onHeartbeat = (beat: Heartbeat) => {
      const current = roomRef.current
      if (!current) return
      const next = applyHeartbeat(current, beat.rooms?.[name], Date.now())
      if (next === 'behind') subscribe()
      else store(next)
    }
    const onDisconnect = () => setConnection('disconnected')
    // A planned stop names itself; the wall keeps showing that reason until it is live again.
    const onClosing = (notice: { reason?: string }) => setError(notice?.reason ?? SERVER_RESTARTING)
    const onConnectError = (err: Error) => {
      setError((shown) => (shown === SERVER_RESTARTING ? shown : err.message))
      setConnection((c) => (c === 'connecting' && /auth|unauthori|token|401|403|sign/i.test(err.message) ? 'refused' : c === 'live' ? 'disconnected' : c))
    }

    socket.on('connect', subscribe)
    socket.on(socketEvents.update, onUpdate)
    socket.on(socketEvents.heartbeat, onHeartbeat)
    socket.on('disconnect', onDisconnect)
    socket.on('connect_error', onConnectError)
    socket.on(socketEvents.closing, onClosing)
    if (socket.connected) subscribe()
    return () => {
      active = false
      socket.off('connect', subscribe)
      socket.off(socketEvents.update, onUpdate)
      socket.off(socketEvents.heartbeat, onHeartbeat)
      socket.off('disconnect', onDisconnect)
      socket.off('connect_error', onConnectError)
      socket.off(socketEvents.closing, onClosing)
      if (socket.connected) socket.emit(socketEvents.unsubscribe, { dashboard, region })
    }
  }, [socket, dashboard, region, name, store])

  return { connection, room, error }
}

/** New flags pushed by the server, newest first, kept for a few minutes (ticker and map markers). */
export function useFlags(socket: Socket | null, onFlag?: (flag: FlagEvent) => void, keep = 40): Array<FlagEvent & { receivedAt: number }> {
  const [flags, setFlags] = useState<Array<FlagEvent & { receivedAt: number }>>([])
  const handler = useRef(onFlag)
  handler.current = onFlag
  useEffect(() => {
    if (!socket) return
    const onEvent = (flag: FlagEvent) => {
      setFlags((list) => [{ ...flag, receivedAt: Date.now() }, ...list].slice(0, keep))
      handler.current?.(flag)
    }
    socket.on(socketEvents.flag, onEvent)
    return () => {
      socket.off(socketEvents.flag, onEvent)
    }
  }, [socket, keep])
  return flags
}

/** A clock that ticks every `ms` (freshness, title bar); one interval, cleared on unmount. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(timer)
  }, [ms])
  return now
}
